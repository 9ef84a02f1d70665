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
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Writes kept pairs as WebDataset tar shards ({@code shard-00000.tar}, …) of {@code key.jpg} (or
 * the image's own extension), {@code key.txt} (the caption) and {@code key.json} (the record's
 * fields without the image), the layout OpenCLIP and img2dataset use. The key is the sample id.
 * Samples are spread over ⌈kept / shardSize⌉ shards by a hash of their id and sorted by id within a
 * shard, so the shards' content is the same on every runner. Emits one {@code export} stats line
 * per shard.
 */
final class WebDatasetExport extends PTransform<PCollection<ImageTextSample>, PCollection<String>> {
  private final String directory;
  private final int shardSize;

  WebDatasetExport(String directory, int shardSize) {
    this.directory = directory;
    this.shardSize = shardSize;
  }

  @Override
  public PCollection<String> expand(PCollection<ImageTextSample> kept) {
    PCollectionView<Long> count =
        kept.apply("Count for shards", Count.globally()).apply("As view", View.asSingleton());
    return kept.apply(
            "Assign shards", ParDo.of(new AssignShardFn(count, shardSize)).withSideInputs(count))
        .setCoder(KvCoder.of(VarIntCoder.of(), kept.getCoder()))
        .apply("Group shards", GroupByKey.create())
        .apply("Write tars", ParDo.of(new WriteShardFn(directory)));
  }

  static final class AssignShardFn extends DoFn<ImageTextSample, KV<Integer, ImageTextSample>> {
    private final PCollectionView<Long> count;
    private final int shardSize;

    AssignShardFn(PCollectionView<Long> count, int shardSize) {
      this.count = count;
      this.shardSize = shardSize;
    }

    @ProcessElement
    public void process(@Element ImageTextSample sample, ProcessContext context) {
      long total = context.sideInput(count);
      int shards = (int) Math.max(1, (total + shardSize - 1) / shardSize);
      context.output(KV.of(Math.floorMod(sample.getSampleId().hashCode(), shards), sample));
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
      shard.getValue().forEach(samples::add);
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
      return json.toString();
    }
  }
}
