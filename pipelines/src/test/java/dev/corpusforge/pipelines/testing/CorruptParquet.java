package dev.corpusforge.pipelines.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetWriter;

/**
 * Parquet tables that cannot be read, made from a real one: {@code truncated-footer.parquet} cut
 * short (the footer, which a reader reads first, is gone) and {@code wrong-magic.parquet} whose
 * closing magic number is wrong. Every pipeline that reads Parquet tables must reject each as
 * {@code malformed_file} and go on with its other inputs.
 */
public final class CorruptParquet {
  public static final String TRUNCATED = "truncated-footer.parquet";
  public static final String WRONG_MAGIC = "wrong-magic.parquet";

  private CorruptParquet() {}

  /** Writes both files into {@code dir}, made from {@code rows}; returns their paths. */
  public static List<Path> write(Path dir, Schema schema, List<GenericRecord> rows)
      throws Exception {
    Files.createDirectories(dir);
    Path good = Files.createTempFile("good", ".parquet");
    Files.delete(good);
    try (ParquetWriter<GenericRecord> w =
        AvroParquetWriter.<GenericRecord>builder(new org.apache.hadoop.fs.Path(good.toUri()))
            .withSchema(schema)
            .withConf(new Configuration())
            .build()) {
      for (GenericRecord r : rows) {
        w.write(r);
      }
    }
    byte[] bytes = Files.readAllBytes(good);
    Files.delete(good);
    Files.deleteIfExists(good.resolveSibling("." + good.getFileName() + ".crc"));
    Path truncated = dir.resolve(TRUNCATED);
    Files.write(truncated, Arrays.copyOf(bytes, bytes.length - 12));
    byte[] magic = bytes.clone();
    magic[magic.length - 1] = 'X';
    Path wrong = dir.resolve(WRONG_MAGIC);
    Files.write(wrong, magic);
    return List.of(truncated, wrong);
  }
}
