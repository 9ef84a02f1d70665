package dev.corpusforge.pipelines.io;

import dev.corpusforge.core.StepResult;
import dev.corpusforge.core.testing.TestPipelineExtension;
import dev.corpusforge.schemas.ImageTextSample;
import dev.corpusforge.schemas.Reject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(TestPipelineExtension.class)
public class UrlListSourceTest {
  TestPipeline p;

  @TempDir Path folder;

  @Test
  public void readsCsvTsvJsonlAndParquetAndRejectsMalformedRows() throws Exception {
    Path dir = folder;
    Files.writeString(
        dir.resolve("list.csv"),
        "url,caption,extra\nhttp://a.example/1.jpg,\"a cat, sleeping\",x\nhttp://a.example/2.jpg,too,many,fields\n,no url here,x\n");
    Files.writeString(dir.resolve("list.tsv"), "link\ttext\nhttp://b.example/1.png\ta dog\n");
    Files.writeString(
        dir.resolve("list.jsonl"),
        "{\"url\": \"http://c.example/1.jpg\", \"caption\": \"a bird\"}\n{broken json\n\n[1,2]\n{\"caption\": \"no url\"}\n");
    Schema schema =
        SchemaBuilder.record("Row")
            .fields()
            .requiredString("url")
            .optionalString("caption")
            .endRecord();
    try (ParquetWriter<GenericRecord> w =
        AvroParquetWriter.<GenericRecord>builder(
                HadoopOutputFile.fromPath(
                    new org.apache.hadoop.fs.Path(dir.resolve("list.parquet").toUri()),
                    new org.apache.hadoop.conf.Configuration()))
            .withSchema(schema)
            .build()) {
      GenericRecord r = new GenericData.Record(schema);
      r.put("url", "http://d.example/1.jpg");
      r.put("caption", "a fish");
      w.write(r);
    }
    StepResult<ImageTextSample> csv =
        p.apply(
            "csv",
            UrlListSource.of(
                List.of(
                    dir.resolve("list.csv").toString(),
                    dir.resolve("list.jsonl").toString(),
                    dir.resolve("list.parquet").toString()),
                new UrlListSource.Columns("url", "caption")));
    StepResult<ImageTextSample> tsv =
        p.apply(
            "tsv",
            UrlListSource.of(
                List.of(dir.resolve("list.tsv").toString()),
                new UrlListSource.Columns("link", "text")));
    PAssert.that(
            csv.kept()
                .apply(
                    "kept",
                    MapElements.into(TypeDescriptors.strings())
                        .via(
                            s ->
                                s.getSourceRef().replaceAll(".*/", "")
                                    + "|"
                                    + s.getUrl()
                                    + "|"
                                    + s.getCaption())))
        .containsInAnyOrder(
            "list.csv#1|http://a.example/1.jpg|a cat, sleeping",
            "list.jsonl#1|http://c.example/1.jpg|a bird",
            "list.parquet#1|http://d.example/1.jpg|a fish");
    PAssert.that(
            csv.rejects()
                .apply(
                    "rejects",
                    MapElements.into(TypeDescriptors.strings())
                        .via(
                            (Reject r) ->
                                r.getSource().replaceAll(".*/", "") + "|" + r.getReason())))
        .containsInAnyOrder(
            "list.csv#2|malformed_row",
            "list.csv#3|url_missing",
            "list.jsonl#2|malformed_row",
            "list.jsonl#3|malformed_row",
            "list.jsonl#4|url_missing");
    PAssert.that(
            tsv.kept()
                .apply(
                    "tsv kept",
                    MapElements.into(TypeDescriptors.strings())
                        .via(s -> s.getUrl() + "|" + s.getCaption())))
        .containsInAnyOrder("http://b.example/1.png|a dog");
    p.run().waitUntilFinish();
  }
}
