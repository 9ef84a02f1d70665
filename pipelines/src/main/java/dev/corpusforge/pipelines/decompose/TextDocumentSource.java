package dev.corpusforge.pipelines.decompose;

import static dev.corpusforge.core.read.ReadReasons.UNSUPPORTED_FILE;
import static dev.corpusforge.pipelines.decompose.DecomposeReasons.TEXT_MISSING;
import static dev.corpusforge.pipelines.decompose.DecomposeReasons.TEXT_NOT_STRING;
import static dev.corpusforge.pipelines.io.ImageFolderSource.extension;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corpusforge.core.Outcome;
import dev.corpusforge.core.StepResult;
import dev.corpusforge.core.read.Decompression;
import dev.corpusforge.core.read.ReadLimits;
import dev.corpusforge.core.read.ReadTable;
import dev.corpusforge.core.read.TableFiles;
import dev.corpusforge.schemas.TextDocument;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;

/**
 * Reads documents: rows of JSON-lines ({@code .jsonl}, {@code .json}, {@code .ndjson}) and Parquet
 * files, with the text in {@code textColumn} and an optional id in {@code idColumn}; and folders of
 * plain-text files, one document per file with an extension in {@code textExtensions} (streamed
 * later, never read whole here). Local or s3://. Every row and file becomes a document or a reject:
 * {@code malformed_row}, {@code text_missing}, {@code text_not_string}, {@code invalid_encoding},
 * {@code unsupported_file}, {@code file_unreadable}, {@code malformed_file}.
 */
public final class TextDocumentSource extends PTransform<PBegin, StepResult<TextDocument>> {
  /**
   * @param textColumn field holding the text in rows
   * @param idColumn field holding the document id in rows (null: the row's location)
   * @param textExtensions extensions of plain-text documents in folders (lower case, no dot)
   */
  public record Columns(String textColumn, String idColumn, Set<String> textExtensions)
      implements Serializable {}

  private final List<String> inputs;
  private final Columns columns;
  private final ReadLimits limits;

  private TextDocumentSource(List<String> inputs, Columns columns, ReadLimits limits) {
    this.inputs = List.copyOf(inputs);
    this.columns = columns;
    this.limits = limits;
  }

  public static TextDocumentSource of(List<String> inputs, Columns columns, ReadLimits limits) {
    return new TextDocumentSource(inputs, columns, limits);
  }

  /** Rows of JSON lines or Parquet; null for anything else (a folder's documents). */
  static TableFiles.Format format(String path) {
    TableFiles.Format f = TableFiles.formatOf(path);
    return f == TableFiles.Format.JSONL || f == TableFiles.Format.PARQUET ? f : null;
  }

  @Override
  public StepResult<TextDocument> expand(PBegin begin) {
    List<String> patterns = new ArrayList<>();
    for (String input : inputs) {
      boolean list = format(input) != null;
      patterns.add(
          list || input.contains("*")
              ? input
              : (input.endsWith("/") ? input + "**" : input + "/**"));
    }
    return begin.apply(
        "Read",
        ReadTable.of(
                "document table",
                patterns,
                List.of(),
                new Rows(columns),
                AvroCoder.of(TextDocument.class))
            .withOtherFiles(
                EnumSet.of(TableFiles.Format.JSONL, TableFiles.Format.PARQUET), new Files(columns))
            .withLimits(limits)
            .spread());
  }

  /** A row with a text is a document; its id from {@code idColumn}, else its location. */
  record Rows(Columns columns) implements ReadTable.RowParser<TextDocument> {
    @Override
    public Outcome<TextDocument> parse(TableFiles.Row row, ResourceId file) {
      Object value = row.get(columns.textColumn());
      if (value == null) {
        return Outcome.drop(TEXT_MISSING, "no value in '" + columns.textColumn() + "'");
      } else if (!(value instanceof CharSequence)) {
        String type =
            value instanceof JsonNode json
                ? json.getNodeType().name().toLowerCase(Locale.ROOT)
                : value.getClass().getSimpleName();
        return Outcome.drop(TEXT_NOT_STRING, "'" + columns.textColumn() + "' holds a " + type);
      }
      String id = columns.idColumn() == null ? null : row.text(columns.idColumn());
      return Outcome.keep(
          TextDocument.newBuilder()
              .setSampleId(TableFiles.sampleId(row.ref()))
              .setSource(row.ref())
              .setDocumentId(id == null ? row.ref() : id)
              .setText(value.toString())
              .build());
    }
  }

  /** A plain-text file is a document read later, streamed; any other file is no document. */
  record Files(Columns columns) implements ReadTable.FileParser<TextDocument> {
    @Override
    public Outcome<TextDocument> parse(ResourceId file) {
      String path = file.toString();
      if (!columns.textExtensions().contains(extension(Decompression.withoutExtension(path)))) {
        return Outcome.drop(
            UNSUPPORTED_FILE,
            "not a document: extension '"
                + extension(path)
                + "' is not one of "
                + columns.textExtensions().stream().sorted().toList());
      }
      return Outcome.keep(
          TextDocument.newBuilder()
              .setSampleId(TableFiles.sampleId(path))
              .setSource(path)
              .setDocumentId(path)
              .setFile(path)
              .build());
    }
  }
}
