package dev.corpusforge.core.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corpusforge.core.testing.TestPipelineExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.KV;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(TestPipelineExtension.class)
class ParquetPartsTest {
  static final Schema SCHEMA =
      SchemaBuilder.record("Row").fields().requiredString("id").requiredInt("n").endRecord();

  TestPipeline p;
  @TempDir Path dir;

  static GenericRecord row(int n) {
    GenericRecord r = new GenericData.Record(SCHEMA);
    r.put("id", "r" + n);
    r.put("n", n);
    return r;
  }

  @Test
  void everyRecordOnceInNumberedFilesPerPartitionAndOneEmptyFileForNone() throws IOException {
    List<GenericRecord> rows = IntStream.range(0, 300).mapToObj(ParquetPartsTest::row).toList();
    p.apply("some", Create.of(rows).withCoder(AvroCoder.of(SCHEMA)))
        .apply(
            "write some",
            ParquetParts.to(ParquetIO.sink(SCHEMA), dir + "/some", dir + "/tmp")
                .partitionedBy(r -> "mod=" + ((Integer) r.get("n")) % 3));
    p.apply("none", Create.empty(AvroCoder.of(SCHEMA)))
        .apply("write none", ParquetParts.to(ParquetIO.sink(SCHEMA), dir + "/none", dir + "/tmp"));
    p.run().waitUntilFinish();

    Map<String, List<Integer>> read = new TreeMap<>();
    for (String partition : List.of("mod=0", "mod=1", "mod=2")) {
      List<Path> files = parts(dir.resolve("some").resolve(partition));
      assertTrue(!files.isEmpty(), partition);
      for (int i = 0; i < files.size(); i++) {
        assertEquals(ParquetParts.partName(i, files.size()), files.get(i).getFileName().toString());
        for (Group g : rows(files.get(i))) {
          int n = g.getInteger("n", 0);
          assertEquals("r" + n, g.getString("id", 0));
          assertEquals(partition, "mod=" + n % 3);
          read.computeIfAbsent("all", k -> new ArrayList<>()).add(n);
        }
      }
    }
    List<Integer> all = new ArrayList<>(read.get("all"));
    all.sort(null);
    assertEquals(IntStream.range(0, 300).boxed().toList(), all);
    // nothing written outside the partitions, no file left under a temporary name
    try (Stream<Path> top = Files.list(dir.resolve("some"))) {
      assertEquals(3, top.count());
    }
    try (Stream<Path> temps = Files.list(dir.resolve("tmp"))) {
      assertEquals(0, temps.count());
    }

    List<Path> empty = parts(dir.resolve("none"));
    assertEquals(List.of(dir.resolve("none").resolve("part-00000-of-00001.parquet")), empty);
    assertEquals(0, rows(empty.get(0)).size());
    try (ParquetFileReader footer =
        ParquetFileReader.open(
            HadoopInputFile.fromPath(
                new org.apache.hadoop.fs.Path(empty.get(0).toUri()), new Configuration()))) {
      assertEquals(
          List.of("id", "n"),
          footer.getFileMetaData().getSchema().getFields().stream()
              .map(org.apache.parquet.schema.Type::getName)
              .toList());
    }
  }

  @Test
  void aRetriedRenameSkipsWhatIsDoneButAFileAtNeitherPlaceFails() throws IOException {
    ParquetParts.RenameFn rename =
        new ParquetParts.RenameFn(ParquetIO.sink(SCHEMA), dir + "/out", true);
    Files.createDirectories(dir.resolve("tmp"));
    Files.createDirectories(dir.resolve("out"));
    Path a = Files.writeString(dir.resolve("tmp/a.parquet"), "a");
    // b was renamed by an earlier attempt of the step: it is at its place, not at its source
    Files.writeString(dir.resolve("out").resolve(ParquetParts.partName(1, 2)), "b");
    String b = dir.resolve("tmp/b.parquet").toString();
    rename.process(List.of(KV.of("", a.toString()), KV.of("", b)));
    assertEquals(
        List.of(
            dir.resolve("out").resolve(ParquetParts.partName(0, 2)),
            dir.resolve("out").resolve(ParquetParts.partName(1, 2))),
        parts(dir.resolve("out")));
    assertEquals("a", Files.readString(parts(dir.resolve("out")).get(0)));

    // c exists nowhere: its rows would be lost without a word
    String c = dir.resolve("tmp/c.parquet").toString();
    Path d = Files.writeString(dir.resolve("tmp/d.parquet"), "d");
    IOException lost =
        assertThrows(
            IOException.class,
            () -> rename.process(List.of(KV.of("x=1", c), KV.of("x=1", d.toString()))));
    assertTrue(lost.getMessage().contains(ParquetParts.partName(0, 2)), lost.getMessage());
  }

  private static List<Path> parts(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.sorted().toList();
    }
  }

  private static List<Group> rows(Path file) throws IOException {
    List<Group> out = new ArrayList<>();
    try (ParquetReader<Group> reader =
        ParquetReader.builder(new GroupReadSupport(), new org.apache.hadoop.fs.Path(file.toUri()))
            .withConf(new Configuration())
            .build()) {
      Group g;
      while ((g = reader.read()) != null) {
        out.add(g);
      }
    }
    return out;
  }
}
