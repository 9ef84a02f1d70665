package dev.corpusforge.core.read;

import static dev.corpusforge.core.read.ReadReasons.INVALID_ENCODING;
import static dev.corpusforge.core.read.ReadReasons.MALFORMED_ROW;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corpusforge.schemas.SampleIds;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;

/**
 * Rows of the table files every source reads records from: CSV and TSV with a header row, JSON
 * lines ({@code .jsonl}, {@code .json}, {@code .ndjson}; one object per line), and Parquet; local
 * or on any Beam file system. Rows are numbered from 1 (a header, empty and white-space lines are
 * no rows) and located as {@code file#row}. A row that cannot be read — a JSON line that does not
 * parse or is no object, bytes that are not UTF-8, a CSV record with the wrong number of fields or
 * a header without a required column — goes to {@link Sink#malformed} with its reason; the rest to
 * {@link Sink#row}. An {@link IOException} means the file cannot be read on after {@code row[0]}
 * rows.
 */
public final class TableFiles {
  private static final ObjectMapper JSON = new ObjectMapper();

  private TableFiles() {}

  public enum Format {
    CSV,
    TSV,
    JSONL,
    PARQUET
  }

  /**
   * The table format of a file, from its extension after any compression extension ({@code
   * rows.jsonl.zst} is JSON lines, {@link Decompression}); null when it is no table.
   */
  public static Format formatOf(String path) {
    String p = Decompression.withoutExtension(path).toLowerCase(Locale.ROOT);
    if (p.endsWith(".csv")) {
      return Format.CSV;
    }
    if (p.endsWith(".tsv")) {
      return Format.TSV;
    }
    if (p.endsWith(".jsonl") || p.endsWith(".json") || p.endsWith(".ndjson")) {
      return Format.JSONL;
    }
    return p.endsWith(".parquet") ? Format.PARQUET : null;
  }

  /**
   * The sample id of the row or file at {@code ref} ({@code file#row} or a file): the same whether
   * the file is compressed or not ({@code a.jsonl.zst#3} is {@code a.jsonl#3}), so a table keeps
   * its rows' ids, and a run its records, when it is recompressed.
   */
  public static String sampleId(String ref) {
    int hash = ref.lastIndexOf('#');
    String path = hash < 0 ? ref : ref.substring(0, hash);
    return SampleIds.of(
        Decompression.withoutExtension(path) + (hash < 0 ? "" : ref.substring(hash)));
  }

  /** One row's fields. */
  public interface Row {
    /** {@code file#row}. */
    String ref();

    /**
     * The field's value: null when absent or null; a {@link CharSequence} for text; otherwise what
     * the format holds (a {@link JsonNode} for JSON numbers, objects, lists and booleans).
     */
    Object get(String column);

    /** The field as text: null when absent or null, JSON values other than strings as JSON. */
    default String text(String column) {
      Object value = get(column);
      return value == null ? null : value.toString();
    }
  }

  public interface Sink {
    void row(Row row);

    void malformed(String ref, String reason, String detail);
  }

  /**
   * Reads every row of {@code file}, counting them in {@code row[0]}.
   *
   * @param requiredColumns columns a CSV/TSV header must name; every row of a file whose header
   *     lacks one is malformed
   */
  public static void read(
      MatchResult.Metadata file, Format format, List<String> requiredColumns, long[] row, Sink sink)
      throws IOException {
    read(file, format, requiredColumns, ReadLimits.DEFAULT, row, sink);
  }

  /** {@link #read(MatchResult.Metadata, Format, List, long[], Sink)} within {@code limits}. */
  public static void read(
      MatchResult.Metadata file,
      Format format,
      List<String> requiredColumns,
      ReadLimits limits,
      long[] row,
      Sink sink)
      throws IOException {
    String path = file.resourceId().toString();
    switch (format) {
      case CSV -> readCsv(file, path, CSVFormat.DEFAULT, requiredColumns, limits, row, sink);
      case TSV -> readCsv(file, path, CSVFormat.TDF, requiredColumns, limits, row, sink);
      case JSONL -> readJsonLines(file, path, limits, row, sink);
      case PARQUET -> readParquet(file, path, row, sink);
    }
  }

  private static void readCsv(
      MatchResult.Metadata file,
      String path,
      CSVFormat base,
      List<String> required,
      ReadLimits limits,
      long[] row,
      Sink sink)
      throws IOException {
    CSVFormat format =
        base.builder()
            .setHeader()
            .setSkipHeaderRecord(true)
            .setAllowMissingColumnNames(true)
            .build();
    // malformed bytes become U+FFFD: one bad byte must not end the file's other rows
    Reader reader =
        new java.io.InputStreamReader(
            Decompression.open(file.resourceId(), limits.maxDecompressedBytes()),
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE));
    try (CSVParser parser = CSVParser.parse(new java.io.BufferedReader(reader), format)) {
      String missing =
          required.stream()
              .filter(c -> !parser.getHeaderMap().containsKey(c))
              .findFirst()
              .orElse(null);
      for (CSVRecord record : parser) {
        row[0]++;
        String ref = path + "#" + row[0];
        if (missing != null) {
          sink.malformed(
              ref,
              MALFORMED_ROW,
              "no column '" + missing + "' in header " + parser.getHeaderNames());
        } else if (!record.isConsistent()) {
          sink.malformed(
              ref,
              MALFORMED_ROW,
              record.size() + " fields, header has " + parser.getHeaderMap().size());
        } else {
          sink.row(new FieldsRow(ref, c -> record.isMapped(c) ? record.get(c) : null));
        }
      }
    }
  }

  /**
   * Each line's bytes are decoded strictly, so bad UTF-8 makes that row alone malformed; a line
   * longer than the row limit is skipped as it streams by and is {@code row_too_large}.
   */
  private static void readJsonLines(
      MatchResult.Metadata file, String path, ReadLimits limits, long[] row, Sink sink)
      throws IOException {
    CharsetDecoder strict =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    long max = limits.maxRowBytes();
    try (InputStream in = Decompression.open(file.resourceId(), limits.maxDecompressedBytes())) {
      byte[] buffer = new byte[1 << 16];
      // the bytes of a line that runs past the end of the buffer
      ByteArrayOutputStream partial = new ByteArrayOutputStream();
      // the current line's bytes before this buffer; whether it is over the limit and skipped
      long before = 0;
      boolean skipping = false;
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        int start = 0;
        for (int i = 0; i < n; i++) {
          if (buffer[i] != '\n') {
            continue;
          }
          long length = before + (i - start);
          if (skipping || length > max) {
            tooLarge(path, length, max, row, sink);
          } else if (partial.size() > 0) {
            partial.write(buffer, start, i - start);
            jsonLine(path, ByteBuffer.wrap(partial.toByteArray()), strict, row, sink);
          } else if (i > start) {
            jsonLine(path, ByteBuffer.wrap(buffer, start, i - start), strict, row, sink);
          }
          partial.reset();
          before = 0;
          skipping = false;
          start = i + 1;
        }
        before += n - start;
        if (!skipping && before > max) {
          skipping = true;
          partial.reset();
        }
        if (!skipping) {
          partial.write(buffer, start, n - start);
        }
      }
      if (skipping) {
        tooLarge(path, before, max, row, sink);
      } else if (partial.size() > 0) {
        jsonLine(path, ByteBuffer.wrap(partial.toByteArray()), strict, row, sink);
      }
    }
  }

  private static void tooLarge(String path, long length, long max, long[] row, Sink sink) {
    row[0]++;
    sink.malformed(
        path + "#" + row[0],
        ReadReasons.ROW_TOO_LARGE,
        "a line of " + length + " bytes, over --max-row-bytes " + max);
  }

  private static void jsonLine(
      String path, ByteBuffer bytes, CharsetDecoder strict, long[] row, Sink sink) {
    String text;
    try {
      text = strict.reset().decode(bytes).toString();
    } catch (CharacterCodingException e) {
      row[0]++;
      sink.malformed(path + "#" + row[0], INVALID_ENCODING, "the line is not valid UTF-8");
      return;
    }
    if (text.isBlank()) {
      return;
    }
    row[0]++;
    String ref = path + "#" + row[0];
    JsonNode node;
    try {
      node = JSON.readTree(text);
    } catch (IOException e) {
      sink.malformed(
          ref,
          MALFORMED_ROW,
          "not JSON: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
      return;
    }
    if (node == null || !node.isObject()) {
      sink.malformed(ref, MALFORMED_ROW, "line is not a JSON object");
      return;
    }
    sink.row(
        new FieldsRow(
            ref,
            c -> {
              JsonNode v = node.get(c);
              return v == null || v.isNull() ? null : v.isTextual() ? v.asText() : v;
            }));
  }

  private static void readParquet(MatchResult.Metadata file, String path, long[] row, Sink sink)
      throws IOException {
    try (ParquetReader<GenericRecord> reader =
        AvroParquetReader.<GenericRecord>builder(
                new BeamInputFile(file.resourceId(), file.sizeBytes()))
            .build()) {
      GenericRecord record;
      while ((record = reader.read()) != null) {
        row[0]++;
        GenericRecord r = record;
        sink.row(new FieldsRow(path + "#" + row[0], c -> r.hasField(c) ? r.get(c) : null));
      }
    }
  }

  private record FieldsRow(String ref, java.util.function.Function<String, Object> fields)
      implements Row {
    @Override
    public Object get(String column) {
      return fields.apply(column);
    }
  }
}
