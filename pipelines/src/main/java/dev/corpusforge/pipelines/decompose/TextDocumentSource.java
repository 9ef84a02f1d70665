package dev.corpusforge.pipelines.decompose;

import static dev.corpusforge.pipelines.decompose.DecomposeReasons.FILE_UNREADABLE;
import static dev.corpusforge.pipelines.decompose.DecomposeReasons.INVALID_ENCODING;
import static dev.corpusforge.pipelines.decompose.DecomposeReasons.MALFORMED_FILE;
import static dev.corpusforge.pipelines.decompose.DecomposeReasons.MALFORMED_ROW;
import static dev.corpusforge.pipelines.decompose.DecomposeReasons.READ;
import static dev.corpusforge.pipelines.decompose.DecomposeReasons.TEXT_MISSING;
import static dev.corpusforge.pipelines.decompose.DecomposeReasons.TEXT_NOT_STRING;
import static dev.corpusforge.pipelines.decompose.DecomposeReasons.UNSUPPORTED_FILE;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corpusforge.filters.core.Rejects;
import dev.corpusforge.filters.core.StepResult;
import dev.corpusforge.pipelines.io.BeamInputFile;
import static dev.corpusforge.pipelines.io.ImageFolderSource.extension;
import dev.corpusforge.schemas.Reject;
import dev.corpusforge.schemas.SampleIds;
import dev.corpusforge.schemas.TextDocument;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
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
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;

/**
 * Reads documents: rows of JSON-lines ({@code .jsonl}, {@code .json}, {@code .ndjson}) and Parquet
 * files, with the text in {@code textColumn} and an optional id in {@code idColumn}; and folders of
 * plain-text files, one document per file with an extension in {@code textExtensions} (streamed
 * later, never read whole here). Local or s3://. Every row and file becomes a document or a
 * reject: {@code malformed_row}, {@code text_missing}, {@code text_not_string}, {@code
 * invalid_encoding}, {@code unsupported_file}, {@code file_unreadable}, {@code malformed_file}.
 */
public final class TextDocumentSource extends PTransform<PBegin, StepResult<TextDocument>> {
  /**
   * @param textColumn field holding the text in rows
   * @param idColumn field holding the document id in rows (null: the row's location)
   * @param textExtensions extensions of plain-text documents in folders (lower case, no dot)
   */
  public record Columns(String textColumn, String idColumn, Set<String> textExtensions) implements Serializable {}

  private final List<String> inputs;
  private final Columns columns;

  private TextDocumentSource(List<String> inputs, Columns columns) {
    this.inputs = List.copyOf(inputs);
    this.columns = columns;
  }

  public static TextDocumentSource of(List<String> inputs, Columns columns) {
    return new TextDocumentSource(inputs, columns);
  }

  static String format(String path) {
    String p = path.toLowerCase(Locale.ROOT);
    if (p.endsWith(".jsonl") || p.endsWith(".json") || p.endsWith(".ndjson")) {
      return "jsonl";
    }
    return p.endsWith(".parquet") ? "parquet" : null;
  }

  @Override
  public StepResult<TextDocument> expand(PBegin begin) {
    List<String> patterns = new ArrayList<>();
    for (String input : inputs) {
      boolean list = format(input) != null;
      patterns.add(list || input.contains("*") ? input : (input.endsWith("/") ? input + "**" : input + "/**"));
    }
    TupleTag<TextDocument> keptTag = new TupleTag<>();
    TupleTag<Reject> rejectTag = new TupleTag<>();
    PCollectionTuple out = begin
        .apply("Inputs", Create.of(patterns))
        .apply("List files", FileIO.matchAll().withEmptyMatchTreatment(EmptyMatchTreatment.ALLOW))
        .apply("Read documents", ParDo.of(new ReadFn(columns, keptTag, rejectTag)).withOutputTags(keptTag, TupleTagList.of(rejectTag)));
    return new StepResult<>(begin.getPipeline(), keptTag,
        out.get(keptTag).setCoder(AvroCoder.of(TextDocument.class)).apply("Spread documents", Reshuffle.viaRandomKey()),
        rejectTag, out.get(rejectTag).setCoder(AvroCoder.of(Reject.class)));
  }

  static final class ReadFn extends DoFn<MatchResult.Metadata, TextDocument> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Columns columns;
    private final TupleTag<TextDocument> keptTag;
    private final TupleTag<Reject> rejectTag;

    ReadFn(Columns columns, TupleTag<TextDocument> keptTag, TupleTag<Reject> rejectTag) {
      this.columns = columns;
      this.keptTag = keptTag;
      this.rejectTag = rejectTag;
    }

    @ProcessElement
    public void process(@Element MatchResult.Metadata file, MultiOutputReceiver out) {
      String path = file.resourceId().toString();
      String format = format(path);
      long[] row = {0};
      try {
        if ("jsonl".equals(format)) {
          readJsonLines(file, row, out);
        } else if ("parquet".equals(format)) {
          readParquet(file, row, out);
        } else if (columns.textExtensions().contains(extension(path))) {
          out.get(keptTag).output(TextDocument.newBuilder().setSampleId(SampleIds.of(path)).setSource(path).setDocumentId(path).setFile(path).build());
        } else {
          reject(out, path, UNSUPPORTED_FILE, "not a document: extension '" + extension(path) + "' is not one of " + columns.textExtensions().stream().sorted().toList());
        }
      } catch (IOException | RuntimeException e) {
        String reason = format == null ? FILE_UNREADABLE : MALFORMED_FILE;
        String source = format == null ? path : path + "#@" + (row[0] + 1);
        reject(out, source, reason, (format == null ? "" : "unreadable after row " + row[0] + ": ") + e.getClass().getSimpleName() + ": " + e.getMessage());
      }
    }


    /** One line per document; each line's bytes are decoded strictly, so bad UTF-8 rejects that row alone. */
    private void readJsonLines(MatchResult.Metadata file, long[] row, MultiOutputReceiver out) throws IOException {
      String path = file.resourceId().toString();
      try (InputStream in = new BufferedInputStream(Channels.newInputStream(FileSystems.open(file.resourceId())), 1 << 16)) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); ; b = in.read()) {
          if (b == '\n' || b < 0) {
            if (line.size() > 0) {
              row[0]++;
              jsonLine(path, row[0], line.toByteArray(), out);
              line.reset();
            }
            if (b < 0) {
              return;
            }
          } else {
            line.write(b);
          }
        }
      }
    }

    private void jsonLine(String path, long row, byte[] bytes, MultiOutputReceiver out) {
      String ref = path + "#" + row;
      String text;
      try {
        text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(bytes)).toString();
      } catch (CharacterCodingException e) {
        reject(out, ref, INVALID_ENCODING, "the line is not valid UTF-8");
        return;
      }
      if (text.isBlank()) {
        return; // a blank line is no record
      }
      JsonNode node;
      try {
        node = JSON.readTree(text);
      } catch (IOException e) {
        reject(out, ref, MALFORMED_ROW, "not JSON: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        return;
      }
      if (node == null || !node.isObject()) {
        reject(out, ref, MALFORMED_ROW, "line is not a JSON object");
        return;
      }
      JsonNode value = node.get(columns.textColumn());
      if (value == null || value.isNull()) {
        reject(out, ref, TEXT_MISSING, "no field '" + columns.textColumn() + "'");
      } else if (!value.isTextual()) {
        reject(out, ref, TEXT_NOT_STRING, "field '" + columns.textColumn() + "' is a " + value.getNodeType().name().toLowerCase(Locale.ROOT));
      } else {
        JsonNode id = columns.idColumn() == null ? null : node.get(columns.idColumn());
        emit(out, ref, id == null || id.isNull() ? ref : id.isTextual() ? id.asText() : id.toString(), value.asText());
      }
    }

    private void readParquet(MatchResult.Metadata file, long[] row, MultiOutputReceiver out) throws IOException {
      String path = file.resourceId().toString();
      try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(new BeamInputFile(file.resourceId(), file.sizeBytes())).build()) {
        GenericRecord record;
        while ((record = reader.read()) != null) {
          row[0]++;
          String ref = path + "#" + row[0];
          Object value = record.hasField(columns.textColumn()) ? record.get(columns.textColumn()) : null;
          if (value == null) {
            reject(out, ref, TEXT_MISSING, "no value in column '" + columns.textColumn() + "'");
          } else if (!(value instanceof CharSequence)) {
            reject(out, ref, TEXT_NOT_STRING, "column '" + columns.textColumn() + "' holds a " + value.getClass().getSimpleName());
          } else {
            Object id = columns.idColumn() != null && record.hasField(columns.idColumn()) ? record.get(columns.idColumn()) : null;
            emit(out, ref, id == null ? ref : id.toString(), value.toString());
          }
        }
      }
    }

    private void emit(MultiOutputReceiver out, String ref, String id, String text) {
      out.get(keptTag).output(TextDocument.newBuilder().setSampleId(SampleIds.of(ref)).setSource(ref).setDocumentId(id).setText(text).build());
    }

    private void reject(MultiOutputReceiver out, String ref, String reason, String detail) {
      out.get(rejectTag).output(Rejects.of(SampleIds.of(ref), ref, READ, reason, detail));
    }
  }
}
