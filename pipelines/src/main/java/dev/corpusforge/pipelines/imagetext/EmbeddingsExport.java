package dev.corpusforge.pipelines.imagetext;

import com.google.common.primitives.Floats;
import dev.corpusforge.core.output.Npy;
import dev.corpusforge.core.output.StatsLines;
import dev.corpusforge.core.output.StreamOutputFile;
import dev.corpusforge.pipelines.run.OutputFiles;
import dev.corpusforge.schemas.ImageTextSample;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * The kept pairs' embeddings in clip-retrieval's layout, which autofaiss and clip-retrieval's tools
 * read: {@code img_emb/img_emb_N.npy} and {@code text_emb/text_emb_N.npy} (float32, one normalised
 * embedding a row) and {@code metadata/metadata_N.parquet} ({@code sample_id}, {@code caption},
 * {@code url}), row i of each file the same pair. Pairs are spread over ⌈kept / partSize⌉ parts by
 * a hash of their id and sorted by id within a part, so the files are the same on every runner.
 * Only ids, captions and the two vectors cross the shuffle, never images. Emits one {@code export}
 * stats line per part.
 */
final class EmbeddingsExport extends PTransform<PCollection<ImageTextSample>, PCollection<String>> {
  static final Schema METADATA =
      SchemaBuilder.record("EmbeddingMetadata")
          .namespace("dev.corpusforge.schemas")
          .fields()
          .requiredString("sample_id")
          .optionalString("caption")
          .optionalString("url")
          .endRecord();

  private static final String NPY = "application/octet-stream";

  private final String directory;
  private final int partSize;

  EmbeddingsExport(String directory, int partSize) {
    this.directory = directory;
    this.partSize = partSize;
  }

  /** One pair's part of the export. */
  record Row(String sampleId, String caption, String url, float[] image, float[] text)
      implements Serializable {
    static Row of(ImageTextSample s) {
      return new Row(
          s.getSampleId(),
          s.getCaption(),
          s.getUrl(),
          Floats.toArray(s.getImageEmbedding()),
          Floats.toArray(s.getTextEmbedding()));
    }
  }

  @Override
  public PCollection<String> expand(PCollection<ImageTextSample> kept) {
    PCollectionView<Long> count =
        kept.apply("Count for parts", Count.globally()).apply("As view", View.asSingleton());
    return kept.apply(
            "Assign parts", ParDo.of(new AssignPartFn(count, partSize)).withSideInputs(count))
        .setCoder(KvCoder.of(VarIntCoder.of(), SerializableCoder.of(Row.class)))
        .apply("Group parts", GroupByKey.create())
        .apply("Write parts", ParDo.of(new WritePartFn(directory)));
  }

  static final class AssignPartFn extends DoFn<ImageTextSample, KV<Integer, Row>> {
    private final PCollectionView<Long> count;
    private final int partSize;

    AssignPartFn(PCollectionView<Long> count, int partSize) {
      this.count = count;
      this.partSize = partSize;
    }

    @ProcessElement
    public void process(@Element ImageTextSample sample, ProcessContext context) {
      int parts = WebDatasetExport.shards(context.sideInput(count), partSize, 1);
      context.output(KV.of(Math.floorMod(sample.getSampleId().hashCode(), parts), Row.of(sample)));
    }
  }

  static final class WritePartFn extends DoFn<KV<Integer, Iterable<Row>>, String> {
    private final String directory;

    WritePartFn(String directory) {
      this.directory = directory;
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<Row>> part, OutputReceiver<String> out)
        throws IOException {
      List<Row> rows = new ArrayList<>();
      part.getValue().forEach(rows::add);
      rows.sort(Comparator.comparing(Row::sampleId));
      int n = part.getKey();
      float[][] images = new float[rows.size()][];
      float[][] texts = new float[rows.size()][];
      for (int i = 0; i < rows.size(); i++) {
        images[i] = rows.get(i).image();
        texts[i] = rows.get(i).text();
      }
      String image = directory + "/img_emb/img_emb_" + n + ".npy";
      OutputFiles.writeBytes(image, Npy.float32(images, images[0].length), NPY);
      OutputFiles.writeBytes(
          directory + "/text_emb/text_emb_" + n + ".npy", Npy.float32(texts, texts[0].length), NPY);
      try (ParquetWriter<GenericRecord> metadata =
          AvroParquetWriter.<GenericRecord>builder(
                  StreamOutputFile.at(directory + "/metadata/metadata_" + n + ".parquet"))
              .withSchema(METADATA)
              .withCompressionCodec(CompressionCodecName.SNAPPY)
              .build()) {
        for (Row r : rows) {
          GenericRecord m = new GenericData.Record(METADATA);
          m.put("sample_id", r.sampleId());
          m.put("caption", r.caption());
          m.put("url", r.url());
          metadata.write(m);
        }
      }
      out.output(
          StatsLines.line("export")
              .put("format", "embeddings")
              .put("file", image)
              .put("samples", rows.size())
              .toString());
    }
  }
}
