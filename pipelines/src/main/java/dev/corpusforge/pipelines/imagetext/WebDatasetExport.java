package dev.corpusforge.pipelines.imagetext;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corpusforge.core.output.StatsLines;
import dev.corpusforge.core.output.TarShards;
import dev.corpusforge.schemas.ImageTextSample;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Writes kept pairs as WebDataset tar shards ({@code shard-00000.tar}, …) of {@code key.jpg} (or
 * the image's own extension), {@code key.txt} (the caption) and {@code key.json} (the record's
 * fields without the image, the carried input columns under {@code columns}), the layout OpenCLIP
 * and img2dataset use. The key is the sample id. Samples are spread over {@link #shards} shards by
 * a hash of their id and sorted by id within a shard, so the shards' content is the same on every
 * runner. Every shard is written, one that no sample falls in as an empty tar, so a training job's
 * ranks can split them evenly. Emits one {@code export} stats line per shard, from which the run
 * writes {@code sizes.json}.
 */
final class WebDatasetExport extends PTransform<PCollection<ImageTextSample>, PCollection<String>> {
  private final String directory;
  private final int shardSize;
  private final int multipleOf;

  WebDatasetExport(String directory, int shardSize, int multipleOf) {
    this.directory = directory;
    this.shardSize = shardSize;
    this.multipleOf = multipleOf;
  }

  /**
   * The number of shards for {@code kept} samples: ⌈kept / shardSize⌉ rounded up to a multiple of
   * {@code multipleOf}; none for no samples. Rounding up keeps every sample and makes the shards
   * smaller than {@code shardSize} (an OpenCLIP job on N ranks then gives each the same number of
   * shards; their sizes differ by the hash's spread, a few per cent at thousands a shard).
   */
  static int shards(long kept, int shardSize, int multipleOf) {
    if (kept == 0) {
      return 0;
    }
    long shards = (kept + shardSize - 1) / shardSize;
    return Math.toIntExact((shards + multipleOf - 1) / multipleOf * multipleOf);
  }

  @Override
  public PCollection<String> expand(PCollection<ImageTextSample> kept) {
    PCollectionView<Long> count =
        kept.apply("Count for shards", Count.globally()).apply("As view", View.asSingleton());
    KvCoder<Integer, ImageTextSample> coder =
        KvCoder.of(VarIntCoder.of(), NullableCoder.of(kept.getCoder()));
    PCollection<KV<Integer, ImageTextSample>> assigned =
        kept.apply(
                "Assign shards",
                ParDo.of(new AssignShardFn(count, shardSize, multipleOf)).withSideInputs(count))
            .setCoder(coder);
    // an empty marker for every shard, so that a shard no sample falls in is written too
    PCollection<KV<Integer, ImageTextSample>> every =
        kept.getPipeline()
            .apply("One shard list", Create.of(0))
            .apply(
                "Every shard",
                ParDo.of(new EveryShardFn(count, shardSize, multipleOf)).withSideInputs(count))
            .setCoder(coder);
    return PCollectionList.of(assigned)
        .and(every)
        .apply("Samples and shards", Flatten.pCollections())
        .apply("Group shards", GroupByKey.create())
        .apply("Write tars", ParDo.of(new WriteShardFn(directory)));
  }

  static final class AssignShardFn extends DoFn<ImageTextSample, KV<Integer, ImageTextSample>> {
    private final PCollectionView<Long> count;
    private final int shardSize;
    private final int multipleOf;

    AssignShardFn(PCollectionView<Long> count, int shardSize, int multipleOf) {
      this.count = count;
      this.shardSize = shardSize;
      this.multipleOf = multipleOf;
    }

    @ProcessElement
    public void process(@Element ImageTextSample sample, ProcessContext context) {
      int shards = shards(context.sideInput(count), shardSize, multipleOf);
      context.output(KV.of(Math.floorMod(sample.getSampleId().hashCode(), shards), sample));
    }
  }

  /** One empty marker (a null sample) per shard number. */
  static final class EveryShardFn extends DoFn<Integer, KV<Integer, ImageTextSample>> {
    private final PCollectionView<Long> count;
    private final int shardSize;
    private final int multipleOf;

    EveryShardFn(PCollectionView<Long> count, int shardSize, int multipleOf) {
      this.count = count;
      this.shardSize = shardSize;
      this.multipleOf = multipleOf;
    }

    @ProcessElement
    public void process(ProcessContext context) {
      int shards = shards(context.sideInput(count), shardSize, multipleOf);
      for (int shard = 0; shard < shards; shard++) {
        context.output(KV.of(shard, null));
      }
    }
  }

  static final class WriteShardFn extends DoFn<KV<Integer, Iterable<ImageTextSample>>, String> {
    private final String directory;

    WriteShardFn(String directory) {
      this.directory = directory;
    }

    @ProcessElement
    public void process(
        @Element KV<Integer, Iterable<ImageTextSample>> shard, OutputReceiver<String> out)
        throws IOException {
      List<ImageTextSample> samples = new ArrayList<>();
      for (ImageTextSample s : shard.getValue()) {
        if (s != null) {
          samples.add(s);
        }
      }
      samples.sort(Comparator.comparing(ImageTextSample::getSampleId));
      String name = String.format("shard-%05d.tar", shard.getKey());
      ResourceId target =
          TarShards.write(
              directory,
              name,
              tar -> {
                for (ImageTextSample s : samples) {
                  byte[] image = new byte[s.getImage().remaining()];
                  s.getImage().duplicate().get(image);
                  TarShards.put(tar, s.getSampleId() + "." + extension(s.getImageFormat()), image);
                  TarShards.put(
                      tar,
                      s.getSampleId() + ".txt",
                      s.getCaption().getBytes(StandardCharsets.UTF_8));
                  TarShards.put(
                      tar, s.getSampleId() + ".json", metadata(s).getBytes(StandardCharsets.UTF_8));
                }
              });
      out.output(
          StatsLines.line("export")
              .put("format", "webdataset")
              .put("file", target.toString())
              .put("samples", samples.size())
              .toString());
    }

    static String extension(String format) {
      return "jpeg".equals(format) ? "jpg" : format;
    }

    static String metadata(ImageTextSample s) {
      ObjectNode json = StatsLines.JSON.createObjectNode();
      json.put("key", s.getSampleId())
          .put("sample_id", s.getSampleId())
          .put("source", s.getSource())
          .put("caption", s.getCaption())
          .put("width", s.getWidth())
          .put("height", s.getHeight())
          .put("original_width", s.getOriginalWidth())
          .put("original_height", s.getOriginalHeight())
          .put("image_format", s.getImageFormat())
          .put("pixel_hash", s.getPixelHash())
          .put("language", s.getLanguage())
          .put("language_score", s.getLanguageScore());
      if (s.getPhash() != null) {
        json.put("phash", String.format("%016x", s.getPhash()));
      }
      if (s.getUrl() != null) {
        json.put("url", s.getUrl());
      }
      if (s.getColumns() != null) {
        ObjectNode columns = json.putObject("columns");
        // an object by name, as the row's (name, value) list reads
        java.util.Map<String, String> byName = new java.util.TreeMap<>();
        s.getColumns().forEach(c -> byName.put(c.getName(), c.getValue()));
        byName.forEach(columns::put);
      }
      return json.toString();
    }
  }
}
