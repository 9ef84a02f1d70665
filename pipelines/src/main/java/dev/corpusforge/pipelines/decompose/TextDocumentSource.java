package dev.corpusforge.pipelines.decompose;

import static dev.corpusforge.pipelines.decompose.DecomposeReasons.TEXT_MISSING;
import static dev.corpusforge.pipelines.decompose.DecomposeReasons.TEXT_NOT_STRING;
import static dev.corpusforge.pipelines.io.ImageFolderSource.extension;
import static dev.corpusforge.pipelines.io.ReadReasons.MALFORMED_FILE;
import static dev.corpusforge.pipelines.io.ReadReasons.STAGE;
import static dev.corpusforge.pipelines.io.ReadReasons.UNSUPPORTED_FILE;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corpusforge.core.Rejects;
import dev.corpusforge.core.StepResult;
import dev.corpusforge.pipelines.io.TableFiles;
import dev.corpusforge.schemas.Reject;
import dev.corpusforge.schemas.SampleIds;
import dev.corpusforge.schemas.TextDocument;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.io.FileIO;
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

  private TextDocumentSource(List<String> inputs, Columns columns) {
    this.inputs = List.copyOf(inputs);
    this.columns = columns;
  }

  public static TextDocumentSource of(List<String> inputs, Columns columns) {
    return new TextDocumentSource(inputs, columns);
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
    TupleTag<TextDocument> keptTag = new TupleTag<>();
    TupleTag<Reject> rejectTag = new TupleTag<>();
    PCollectionTuple out =
        begin
            .apply("Inputs", Create.of(patterns))
            .apply(
                "List files", FileIO.matchAll().withEmptyMatchTreatment(EmptyMatchTreatment.ALLOW))
            .apply(
                "Read documents",
                ParDo.of(new ReadFn(columns, keptTag, rejectTag))
                    .withOutputTags(keptTag, TupleTagList.of(rejectTag)));
    return new StepResult<>(
        begin.getPipeline(),
        keptTag,
        out.get(keptTag)
            .setCoder(AvroCoder.of(TextDocument.class))
            .apply("Spread documents", Reshuffle.viaRandomKey()),
        rejectTag,
        out.get(rejectTag).setCoder(AvroCoder.of(Reject.class)));
  }

  static final class ReadFn extends DoFn<MatchResult.Metadata, TextDocument> {
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
      TableFiles.Format format = format(path);
      if (format == null) {
        if (columns.textExtensions().contains(extension(path))) {
          out.get(keptTag)
              .output(
                  TextDocument.newBuilder()
                      .setSampleId(SampleIds.of(path))
                      .setSource(path)
                      .setDocumentId(path)
                      .setFile(path)
                      .build());
        } else {
          reject(
              out,
              path,
              UNSUPPORTED_FILE,
              "not a document: extension '"
                  + extension(path)
                  + "' is not one of "
                  + columns.textExtensions().stream().sorted().toList());
        }
        return;
      }
      long[] row = {0};
      try {
        TableFiles.read(
            file,
            format,
            List.of(),
            row,
            new TableFiles.Sink() {
              @Override
              public void row(TableFiles.Row r) {
                document(r, out);
              }

              @Override
              public void malformed(String ref, String reason, String detail) {
                reject(out, ref, reason, detail);
              }
            });
      } catch (IOException | RuntimeException e) {
        reject(
            out,
            path + "#@" + (row[0] + 1),
            MALFORMED_FILE,
            "unreadable after row "
                + row[0]
                + ": "
                + e.getClass().getSimpleName()
                + ": "
                + e.getMessage());
      }
    }

    private void document(TableFiles.Row row, MultiOutputReceiver out) {
      Object value = row.get(columns.textColumn());
      if (value == null) {
        reject(out, row.ref(), TEXT_MISSING, "no value in '" + columns.textColumn() + "'");
      } else if (!(value instanceof CharSequence)) {
        String type =
            value instanceof JsonNode json
                ? json.getNodeType().name().toLowerCase(Locale.ROOT)
                : value.getClass().getSimpleName();
        reject(out, row.ref(), TEXT_NOT_STRING, "'" + columns.textColumn() + "' holds a " + type);
      } else {
        String id = columns.idColumn() == null ? null : row.text(columns.idColumn());
        out.get(keptTag)
            .output(
                TextDocument.newBuilder()
                    .setSampleId(SampleIds.of(row.ref()))
                    .setSource(row.ref())
                    .setDocumentId(id == null ? row.ref() : id)
                    .setText(value.toString())
                    .build());
      }
    }

    private void reject(MultiOutputReceiver out, String ref, String reason, String detail) {
      out.get(rejectTag).output(Rejects.of(SampleIds.of(ref), ref, STAGE, reason, detail));
    }
  }
}
