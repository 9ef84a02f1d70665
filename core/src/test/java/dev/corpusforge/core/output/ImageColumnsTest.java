package dev.corpusforge.core.output;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.metadata.FileMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageColumnsTest {
  static final Schema SAMPLE =
      SchemaBuilder.record("Sample")
          .namespace("test")
          .fields()
          .requiredString("id")
          .optionalBytes("image")
          .requiredBytes("thumb")
          .optionalDouble("score")
          .endRecord();

  @TempDir Path tmp;

  @Test
  void imageFieldsBecomeNullableStructsAndTheRestStaysAsItIs() {
    Schema row = ImageColumns.rowSchema(SAMPLE, Set.of("image", "thumb"));
    assertEquals(List.of("id", "image", "thumb", "score"), names(row));
    assertEquals(List.of("image", "thumb"), ImageColumns.imageFields(row));
    assertEquals(SAMPLE.getField("id").schema(), row.getField("id").schema());
    assertEquals(SAMPLE.getField("score").schema(), row.getField("score").schema());
    assertTrue(ImageColumns.isImage(row.getField("thumb").schema()));
    assertTrue(row.getField("thumb").schema().isNullable());
    assertThrows(
        IllegalArgumentException.class, () -> ImageColumns.rowSchema(SAMPLE, Set.of("score")));
  }

  @Test
  void writtenFilesDeclareTheImagesOverColumnsOfTheImageFeaturesOwnType() throws Exception {
    Schema row = ImageColumns.rowSchema(SAMPLE, Set.of("image"));
    GenericRecord a = sample("a", new byte[] {1, 2, 3});
    GenericRecord b = sample("b", null);
    int[] images = ImageColumns.imagePositions(row);
    assertArrayEquals(new int[] {1}, images);
    Path file =
        write(row, List.of(ImageColumns.row(a, row, images), ImageColumns.row(b, row, images)));

    FileMetaData meta = footer(file);
    assertEquals(
        "{\"info\":{\"features\":{\"image\":{\"_type\":\"Image\"}}}}",
        meta.getKeyValueMetaData().get(ImageColumns.METADATA_KEY));
    assertEquals(
        "optional group image {\n  optional binary bytes;\n  optional binary path (STRING);\n}",
        meta.getSchema().getType("image").toString().strip());
    assertEquals("avro", meta.getKeyValueMetaData().get("writer.model.name"));

    try (ParquetReader<Group> reader =
        ParquetReader.builder(new GroupReadSupport(), new org.apache.hadoop.fs.Path(file.toUri()))
            .withConf(new Configuration())
            .build()) {
      Group first = reader.read();
      assertEquals("a", first.getString("id", 0));
      Group image = first.getGroup("image", 0);
      assertArrayEquals(new byte[] {1, 2, 3}, image.getBinary("bytes", 0).getBytes());
      assertEquals(0, image.getFieldRepetitionCount("path"), "path stays null");
      assertArrayEquals(new byte[] {9}, first.getBinary("thumb", 0).getBytes());
      Group second = reader.read();
      assertEquals(0, second.getFieldRepetitionCount("image"), "no image: a null struct");
      assertNull(reader.read());
    }
  }

  @Test
  void filesWithoutImagesCarryNoKey() throws Exception {
    assertEquals(Map.of(), ImageColumns.parquetMetadata(SAMPLE));
    Path file = write(SAMPLE, List.of(sample("a", new byte[] {1})));
    assertNull(footer(file).getKeyValueMetaData().get(ImageColumns.METADATA_KEY));
  }

  private static GenericRecord sample(String id, byte[] image) {
    GenericData.Record r = new GenericData.Record(SAMPLE);
    r.put("id", id);
    r.put("image", image == null ? null : ByteBuffer.wrap(image));
    r.put("thumb", ByteBuffer.wrap(new byte[] {9}));
    r.put("score", 0.5);
    return r;
  }

  private Path write(Schema schema, List<GenericRecord> rows) throws Exception {
    Path file = tmp.resolve("part.parquet");
    AvroParquetSink sink =
        new AvroParquetSink(schema, 1 << 20, ImageColumns.parquetMetadata(schema));
    try (FileChannel channel =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      sink.open(channel);
      for (GenericRecord r : rows) {
        sink.write(r);
      }
      sink.flush();
    }
    return file;
  }

  private static FileMetaData footer(Path file) throws Exception {
    try (ParquetFileReader reader =
        ParquetFileReader.open(
            HadoopInputFile.fromPath(
                new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))) {
      return reader.getFooter().getFileMetaData();
    }
  }

  private static List<String> names(Schema s) {
    return s.getFields().stream().map(Schema.Field::name).toList();
  }
}
