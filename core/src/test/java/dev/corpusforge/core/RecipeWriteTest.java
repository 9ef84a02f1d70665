package dev.corpusforge.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corpusforge.core.output.OutputLayout;
import dev.corpusforge.core.output.StatsLines;
import dev.corpusforge.core.testing.TestPipelineExtension;
import dev.corpusforge.schemas.Reject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Distinct;
import org.apache.beam.sdk.transforms.FlatMapElements;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.Max;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A recipe that writes its kept records in the step that ends its chain ({@code writeKept}). */
@ExtendWith(TestPipelineExtension.class)
class RecipeWriteTest {
  static final Schema SCHEMA =
      SchemaBuilder.record("Doc").fields().requiredString("id").requiredString("text").endRecord();
  static final RecordIdentity<GenericRecord> DOC =
      RecordIdentity.of(r -> r.get("id").toString(), r -> "src:" + r.get("id"));

  TestPipeline p;
  @TempDir Path dir;

  static GenericRecord doc(int n) {
    GenericRecord r = new GenericData.Record(SCHEMA);
    r.put("id", "d" + n);
    r.put("text", "é".repeat(100 * n + 1));
    return r;
  }

  /** Documents d0 … d19 as read. */
  private Recipe<GenericRecord> twentyDocs() {
    List<GenericRecord> docs = IntStream.range(0, 20).mapToObj(RecipeWriteTest::doc).toList();
    return Recipe.read(
        p.apply("docs", Create.of(docs).withCoder(AvroCoder.of(SCHEMA))),
        p.apply("no read rejects", Create.empty(AvroCoder.of(Reject.class))),
        (GenericRecord r) -> r.get("id").toString());
  }

  /** Drops the documents whose number is a multiple of four. */
  static final class DropFourth implements Step<GenericRecord, GenericRecord> {
    @Override
    public Outcome<GenericRecord> apply(GenericRecord r) {
      int n = Integer.parseInt(r.get("id").toString().substring(1));
      return n % 4 == 0 ? Outcome.drop("fourth", "n=" + n) : Outcome.keep(r);
    }
  }

  @Test
  void keptRecordsAreWrittenWholeAndTheStatisticsSeeWhatTheyAreGiven() throws IOException {
    OutputLayout layout = new OutputLayout(dir.resolve("out").toString());
    Recipe.Writing<GenericRecord> writing =
        twentyDocs()
            .then("Drop fourth", Stage.of("drop", new DropFourth(), DOC))
            .writeKept(
                layout,
                SCHEMA,
                r -> r.get("id").toString(),
                r -> {
                  GenericRecord light = new GenericData.Record(SCHEMA);
                  light.put("id", r.get("id"));
                  light.put("text", "");
                  return light;
                });
    PCollection<String> longest =
        writing
            .kept()
            .apply(
                "text lengths",
                MapElements.into(TypeDescriptors.integers())
                    .via((GenericRecord r) -> r.get("text").toString().length()))
            .apply("longest", Max.integersGlobally())
            .apply(
                "as a line",
                MapElements.into(TypeDescriptors.strings())
                    .via(n -> StatsLines.count("longest_text_seen", n)));
    writing.finish(List.of(longest));
    p.run().waitUntilFinish();

    // every kept record whole in the data files, every dropped one a reject row
    Map<String, Integer> written = new TreeMap<>();
    for (Group g : rows(dir.resolve("out/data"))) {
      written.put(g.getString("id", 0), g.getString("text", 0).length());
    }
    Map<String, Integer> expected = new TreeMap<>();
    for (int n = 0; n < 20; n++) {
      if (n % 4 != 0) {
        expected.put("d" + n, 100 * n + 1);
      }
    }
    assertEquals(expected, written);
    Map<String, String> rejected = new TreeMap<>();
    for (Group g : rows(dir.resolve("out/rejects"))) {
      rejected.put(g.getString("sample_id", 0), g.getString("reason", 0));
    }
    assertEquals(
        Map.of("d0", "fourth", "d4", "fourth", "d8", "fourth", "d12", "fourth", "d16", "fourth"),
        rejected);
    // the statistics saw the records as forStats made them
    List<String> stats = Files.readAllLines(dir.resolve("out/_run/stats.jsonl"));
    assertTrue(stats.contains(StatsLines.count("longest_text_seen", 0)), String.join("\n", stats));
    balancedWithTheFourthRejected(stats);
  }

  /** Keeps each document's id only, as a string: a record that is not a row itself. */
  static final class IdOnly implements Step<GenericRecord, String> {
    @Override
    public Outcome<String> apply(GenericRecord r) {
      int n = Integer.parseInt(r.get("id").toString().substring(1));
      return n % 4 == 0 ? Outcome.drop("fourth", "n=" + n) : Outcome.keep("d" + n);
    }
  }

  @Test
  void recordsAreMadeIntoRowsInTheirPartitionsAndTheKeptInputsAreThoseNamed() throws IOException {
    OutputLayout layout = new OutputLayout(dir.resolve("out").toString());
    Recipe.Writing<String> writing =
        twentyDocs()
            .then("Id only", Stage.of("id", new IdOnly(), DOC, StringUtf8Coder.of()))
            .writeKept(
                layout,
                Recipe.Rows.<String>of(
                        SCHEMA,
                        id -> {
                          GenericRecord row = new GenericData.Record(SCHEMA);
                          row.put("id", id);
                          row.put("text", "row of " + id);
                          return row;
                        })
                    .partitionedBy(
                        r -> "half=" + Integer.parseInt(r.get("id").toString().substring(1)) % 2),
                id -> id);
    // each kept input named twice, as an input of several records would be; the accounting
    // counts what it is given, so the ids are made distinct first
    writing.finish(
        writing
            .kept()
            .apply(
                "twice",
                FlatMapElements.into(TypeDescriptors.strings()).via((String id) -> List.of(id, id)))
            .apply("once", Distinct.create()),
        List.of());
    p.run().waitUntilFinish();

    for (int half = 0; half < 2; half++) {
      Map<String, String> written = new TreeMap<>();
      for (Group g : rows(dir.resolve("out/data/half=" + half))) {
        written.put(g.getString("id", 0), g.getString("text", 0));
      }
      Map<String, String> expected = new TreeMap<>();
      for (int n = half; n < 20; n += 2) {
        if (n % 4 != 0) {
          expected.put("d" + n, "row of d" + n);
        }
      }
      assertTrue(!expected.isEmpty());
      assertEquals(expected, written, "half=" + half);
    }
    List<String> stats = Files.readAllLines(dir.resolve("out/_run/stats.jsonl"));
    balancedWithTheFourthRejected(stats);
  }

  /** The accounting found nothing amiss, and the dropped documents were counted by reason. */
  private static void balancedWithTheFourthRejected(List<String> stats) {
    assertTrue(
        stats.stream().noneMatch(l -> l.contains("\"kind\":\"accounting\"")),
        String.join("\n", stats));
    assertTrue(
        stats.stream().anyMatch(l -> l.contains("reject_count") && l.contains("fourth")),
        String.join("\n", stats));
  }

  private static List<Group> rows(Path folder) throws IOException {
    List<Group> out = new java.util.ArrayList<>();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".parquet")).toList()) {
        try (ParquetReader<Group> reader =
            ParquetReader.builder(
                    new GroupReadSupport(), new org.apache.hadoop.fs.Path(file.toUri()))
                .build()) {
          for (Group g = reader.read(); g != null; g = reader.read()) {
            out.add(g);
          }
        }
      }
    }
    return out;
  }
}
