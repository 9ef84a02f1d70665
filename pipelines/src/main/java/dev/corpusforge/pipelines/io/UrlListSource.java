package dev.corpusforge.pipelines.io;

import static dev.corpusforge.pipelines.io.ReadReasons.*;

import dev.corpusforge.core.Rejects;
import dev.corpusforge.core.StepResult;
import dev.corpusforge.schemas.ImageTextSample;
import dev.corpusforge.schemas.Reject;
import dev.corpusforge.schemas.SampleIds;
import java.io.Serializable;
import java.util.List;
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
 * Reads URL lists as img2dataset takes them ({@link TableFiles}): CSV and TSV with a header row,
 * JSON lines, or Parquet, with the URL in {@code urlColumn} and the caption in {@code
 * captionColumn}. Each row is one sample, identified by {@code file#row} (rows numbered from 1, the
 * header not counted); its source is the URL. The format follows the file extension ({@code .csv},
 * {@code .tsv}, {@code .jsonl}/{@code .json}, {@code .parquet}).
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
            .apply(
                "List files", FileIO.matchAll().withEmptyMatchTreatment(EmptyMatchTreatment.ALLOW))
            .apply(
                "Read rows",
                ParDo.of(new ReadRowsFn(columns, keptTag, rejectTag))
                    .withOutputTags(keptTag, TupleTagList.of(rejectTag)));
    return new StepResult<>(
        begin.getPipeline(),
        keptTag,
        out.get(keptTag)
            .setCoder(AvroCoder.of(ImageTextSample.class))
            .apply("Spread rows", Reshuffle.viaRandomKey()),
        rejectTag,
        out.get(rejectTag).setCoder(AvroCoder.of(Reject.class)));
  }

  static final class ReadRowsFn extends DoFn<MatchResult.Metadata, ImageTextSample> {
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
      TableFiles.readAll(
          file,
          List.of(columns.url()),
          "URL list",
          new TableFiles.Sink() {
            @Override
            public void row(TableFiles.Row r) {
              emit(out, r.ref(), r.text(columns.url()), r.text(columns.caption()));
            }

            @Override
            public void malformed(String ref, String reason, String detail) {
              reject(out, ref, reason, detail);
            }
          });
    }

    private void emit(MultiOutputReceiver out, String ref, String url, String caption) {
      if (url == null || url.isBlank()) {
        reject(out, ref, URL_MISSING, "no value in column '" + columns.url() + "'");
        return;
      }
      String trimmed = url.strip();
      out.get(keptTag)
          .output(
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
