package dev.corpusforge.core.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Utf8StringsTest {
  static final Schema INNER =
      SchemaBuilder.record("Inner").fields().requiredString("name").requiredInt("k").endRecord();
  static final Schema SCHEMA =
      SchemaBuilder.record("Row")
          .fields()
          .requiredString("text")
          .optionalString("maybe")
          .optionalString("absent")
          .name("words")
          .type()
          .array()
          .items()
          .stringType()
          .noDefault()
          .name("inner")
          .type(INNER)
          .noDefault()
          .name("inners")
          .type()
          .array()
          .items(INNER)
          .noDefault()
          .name("scores")
          .type()
          .map()
          .values()
          .doubleType()
          .noDefault()
          .requiredLong("n")
          .endRecord();

  @TempDir Path dir;

  static GenericRecord row() {
    GenericRecord inner = new GenericData.Record(INNER);
    inner.put("name", "ünïcødé 名前 🙂");
    inner.put("k", 7);
    GenericRecord other = new GenericData.Record(INNER);
    other.put("name", "");
    other.put("k", -1);
    GenericRecord r = new GenericData.Record(SCHEMA);
    r.put("text", "<graph>\n  <node id=\"ä\"/>\n</graph> – “quoted” 𝄞");
    r.put("maybe", "set");
    r.put("absent", null);
    r.put("words", List.of("α", "b", "ç"));
    r.put("inner", inner);
    r.put("inners", List.of(inner, other));
    r.put("scores", Map.of("a", 0.5, "b", 1.0));
    r.put("n", 42L);
    return r;
  }

  @Test
  void theViewHandsOverUtf8AtEveryDepthAndTheFileReadsBackTheSame() throws IOException {
    GenericRecord view = Utf8Strings.of(row());
    assertInstanceOf(Utf8.class, view.get("text"));
    assertInstanceOf(Utf8.class, ((List<?>) view.get("words")).get(0));
    assertInstanceOf(Utf8.class, ((GenericRecord) view.get("inner")).get("name"));
    assertInstanceOf(
        Utf8.class, ((GenericRecord) ((List<?>) view.get("inners")).get(1)).get("name"));
    assertNull(view.get("absent"));
    assertEquals(42L, view.get("n"));

    // the same row written as it is and through the view: the same values read back by a reader
    // other than Avro's
    Path plain = write("plain.parquet", row());
    Path viewed = write("viewed.parquet", view);
    List<Group> a = read(plain);
    List<Group> b = read(viewed);
    assertEquals(1, b.size());
    assertEquals(a.toString(), b.toString());
    assertEquals(row().get("text"), b.get(0).getString("text", 0));
    assertEquals("ünïcødé 名前 🙂", b.get(0).getGroup("inner", 0).getString("name", 0));
  }

  private Path write(String name, GenericRecord record) throws IOException {
    Path file = dir.resolve(name);
    FileIO.Sink<GenericRecord> sink = ParquetIO.sink(SCHEMA);
    try (FileOutputStream out = new FileOutputStream(file.toFile())) {
      sink.open(Channels.newChannel(out));
      sink.write(record);
      sink.flush();
    }
    return file;
  }

  private static List<Group> read(Path file) throws IOException {
    List<Group> out = new ArrayList<>();
    try (ParquetReader<Group> reader =
        ParquetReader.builder(new GroupReadSupport(), new org.apache.hadoop.fs.Path(file.toUri()))
            .build()) {
      for (Group g = reader.read(); g != null; g = reader.read()) {
        out.add(g);
      }
    }
    return out;
  }
}
