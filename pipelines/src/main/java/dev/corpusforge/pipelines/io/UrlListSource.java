package dev.corpusforge.pipelines.io;

import static dev.corpusforge.pipelines.io.ReadReasons.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corpusforge.filters.core.Rejects;
import dev.corpusforge.filters.core.StepResult;
import dev.corpusforge.schemas.ImageTextSample;
import dev.corpusforge.schemas.Reject;
import dev.corpusforge.schemas.SampleIds;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.channels.Channels;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;

/**
 * Reads URL lists as img2dataset takes them: CSV and TSV with a header row, JSON lines, or
 * Parquet, with the URL in {@code urlColumn} and the caption in {@code captionColumn}. Each row is
 * one sample, identified by {@code file#row} (rows numbered from 1, the header not counted); its
 * source is the URL. The format follows the file extension ({@code .csv}, {@code .tsv}, {@code
 * .jsonl}/{@code .json}, {@code .parquet}).
 */
public final class UrlListSource extends PTransform<PBegin, StepResult<ImageTextSample>> {
  private final List<String> patterns;
  private final Columns columns;

  /** Column names of a URL list. */
  public record Columns(String url, String caption) implements Serializable {}

  private UrlListSource(List<String> patterns, Columns columns) {
    this.patterns = List.copyOf(patterns);
    this.columns = columns;
  }

  public static UrlListSource of(List<String> patterns, Columns columns) {
    return new UrlListSource(patterns, columns);
  }

  @Override
  public StepResult<ImageTextSample> expand(PBegin begin) {
    TupleTag<ImageTextSample> keptTag = new TupleTag<>();
    TupleTag<Reject> rejectTag = new TupleTag<>();
    PCollectionTuple out =
        begin
            .apply("List patterns", Create.of(patterns))
            .apply("List files", FileIO.matchAll().withEmptyMatchTreatment(EmptyMatchTreatment.ALLOW))
            .apply("Read rows", ParDo.of(new ReadRowsFn(columns, keptTag, rejectTag)).withOutputTags(keptTag, TupleTagList.of(rejectTag)));
    return new StepResult<>(begin.getPipeline(), keptTag,
        out.get(keptTag).setCoder(AvroCoder.of(ImageTextSample.class)).apply("Spread rows", Reshuffle.viaRandomKey()),
        rejectTag, out.get(rejectTag).setCoder(AvroCoder.of(Reject.class)));
  }

  /** The list format of a file, from its extension. */
  public static String formatOf(String path) {
    String p = path.toLowerCase(Locale.ROOT);
    if (p.endsWith(".csv")) {
      return "csv";
    }
    if (p.endsWith(".tsv")) {
      return "tsv";
    }
    if (p.endsWith(".jsonl") || p.endsWith(".json") || p.endsWith(".ndjson")) {
      return "jsonl";
    }
    if (p.endsWith(".parquet")) {
      return "parquet";
    }
    return null;
  }

  static final class ReadRowsFn extends DoFn<MatchResult.Metadata, ImageTextSample> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Columns columns;
    private final TupleTag<ImageTextSample> keptTag;
    private final TupleTag<Reject> rejectTag;

    ReadRowsFn(Columns columns, TupleTag<ImageTextSample> keptTag, TupleTag<Reject> rejectTag) {
      this.columns = columns;
      this.keptTag = keptTag;
      this.rejectTag = rejectTag;
    }

    @ProcessElement
    public void process(@Element MatchResult.Metadata file, MultiOutputReceiver out) {
      String path = file.resourceId().toString();
      String format = formatOf(path);
      long[] row = {0};
      try {
        switch (format == null ? "" : format) {
          case "csv" -> readCsv(file, CSVFormat.DEFAULT, row, out);
          case "tsv" -> readCsv(file, CSVFormat.TDF, row, out);
          case "jsonl" -> readJsonLines(file, row, out);
          case "parquet" -> readParquet(file, row, out);
          default -> reject(out, path, UNSUPPORTED_FILE, "not a .csv, .tsv, .jsonl or .parquet URL list");
        }
      } catch (IOException | RuntimeException e) {
        String source = path + "#@" + (row[0] + 1);
        reject(out, source, MALFORMED_FILE, "unreadable after row " + row[0] + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
      }
    }

    private Reader open(MatchResult.Metadata file) throws IOException {
      return new BufferedReader(Channels.newReader(FileSystems.open(file.resourceId()),
          StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE), -1));
    }

    private void readCsv(MatchResult.Metadata file, CSVFormat base, long[] row, MultiOutputReceiver out) throws IOException {
      String path = file.resourceId().toString();
      CSVFormat format = base.builder().setHeader().setSkipHeaderRecord(true).setAllowMissingColumnNames(true).build();
      try (Reader reader = open(file); CSVParser parser = CSVParser.parse(reader, format)) {
        boolean hasUrl = parser.getHeaderMap().containsKey(columns.url());
        boolean hasCaption = parser.getHeaderMap().containsKey(columns.caption());
        Iterator<CSVRecord> records = parser.iterator();
        while (records.hasNext()) {
          CSVRecord record = records.next();
          row[0]++;
          String ref = path + "#" + row[0];
          if (!hasUrl) {
            reject(out, ref, MALFORMED_ROW, "no column '" + columns.url() + "' in header " + parser.getHeaderNames());
          } else if (!record.isConsistent()) {
            reject(out, ref, MALFORMED_ROW, record.size() + " fields, header has " + parser.getHeaderMap().size());
          } else {
            emit(out, ref, record.get(columns.url()), hasCaption ? record.get(columns.caption()) : null);
          }
        }
      }
    }

    private void readJsonLines(MatchResult.Metadata file, long[] row, MultiOutputReceiver out) throws IOException {
      String path = file.resourceId().toString();
      try (BufferedReader reader = (BufferedReader) open(file)) {
        String line;
        while ((line = reader.readLine()) != null) {
          if (line.isBlank()) {
            continue;
          }
          row[0]++;
          String ref = path + "#" + row[0];
          JsonNode node;
          try {
            node = JSON.readTree(line);
          } catch (IOException e) {
            reject(out, ref, MALFORMED_ROW, "not JSON: " + e.getMessage().lines().findFirst().orElse(""));
            continue;
          }
          if (node == null || !node.isObject()) {
            reject(out, ref, MALFORMED_ROW, "line is not a JSON object");
            continue;
          }
          emit(out, ref, text(node.get(columns.url())), text(node.get(columns.caption())));
        }
      }
    }

    private void readParquet(MatchResult.Metadata file, long[] row, MultiOutputReceiver out) throws IOException {
      String path = file.resourceId().toString();
      try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(new BeamInputFile(file.resourceId(), file.sizeBytes())).build()) {
        GenericRecord record;
        while ((record = reader.read()) != null) {
          row[0]++;
          String ref = path + "#" + row[0];
          Object url = record.hasField(columns.url()) ? record.get(columns.url()) : null;
          Object caption = record.hasField(columns.caption()) ? record.get(columns.caption()) : null;
          emit(out, ref, url == null ? null : url.toString(), caption == null ? null : caption.toString());
        }
      }
    }

    private static String text(JsonNode node) {
      return node == null || node.isNull() ? null : node.isTextual() ? node.asText() : node.toString();
    }

    private void emit(MultiOutputReceiver out, String ref, String url, String caption) {
      if (url == null || url.isBlank()) {
        reject(out, ref, URL_MISSING, "no value in column '" + columns.url() + "'");
        return;
      }
      String trimmed = url.strip();
      out.get(keptTag).output(
          ImageTextSample.newBuilder()
              .setSampleId(SampleIds.of(ref))
              .setSource(trimmed)
              .setSourceRef(ref)
              .setUrl(trimmed)
              .setCaption(caption)
              .build());
    }

    private void reject(MultiOutputReceiver out, String ref, String reason, String detail) {
      out.get(rejectTag).output(Rejects.of(SampleIds.of(ref), ref, STAGE, reason, detail));
    }
  }
}
