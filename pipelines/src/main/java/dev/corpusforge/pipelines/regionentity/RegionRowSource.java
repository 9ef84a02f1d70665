package dev.corpusforge.pipelines.regionentity;

import static dev.corpusforge.pipelines.io.ReadReasons.STAGE;

import dev.corpusforge.core.Rejects;
import dev.corpusforge.pipelines.io.Locations;
import dev.corpusforge.pipelines.io.TableFiles;
import dev.corpusforge.schemas.Reject;
import dev.corpusforge.schemas.SampleIds;
import java.util.List;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Reads the {@code {image, entity_id, entity_name}} rows ({@link TableFiles}: CSV, TSV, JSON lines,
 * Parquet; local or s3://). An image given as a relative path is resolved against the folder of the
 * file that names it; absolute paths, http(s) URLs and s3:// are kept as they are. A row without
 * image or entity id, or with an empty or over-long entity name, is a reject.
 */
final class RegionRowSource {
  /** Longest entity name accepted, in characters. */
  static final int MAX_NAME_CHARS = 1000;

  record Rows(PCollection<RegionRow> rows, PCollection<Reject> rejects) {}

  private RegionRowSource() {}

  static Rows read(PBegin begin, List<String> patterns, RegionColumns columns) {
    TupleTag<RegionRow> rowTag = new TupleTag<>();
    TupleTag<Reject> rejectTag = new TupleTag<>();
    PCollectionTuple out =
        begin
            .apply("Row tables", Create.of(patterns))
            .apply(
                "List row files",
                FileIO.matchAll().withEmptyMatchTreatment(EmptyMatchTreatment.ALLOW))
            .apply(
                "Read rows",
                ParDo.of(new ReadRowsFn(columns, rowTag, rejectTag))
                    .withOutputTags(rowTag, TupleTagList.of(rejectTag)));
    return new Rows(
        out.get(rowTag).setCoder(SerializableCoder.of(RegionRow.class)),
        out.get(rejectTag).setCoder(AvroCoder.of(Reject.class)));
  }

  static final class ReadRowsFn extends DoFn<MatchResult.Metadata, RegionRow> {
    private final RegionColumns columns;
    private final TupleTag<RegionRow> rowTag;
    private final TupleTag<Reject> rejectTag;

    ReadRowsFn(RegionColumns columns, TupleTag<RegionRow> rowTag, TupleTag<Reject> rejectTag) {
      this.columns = columns;
      this.rowTag = rowTag;
      this.rejectTag = rejectTag;
    }

    @ProcessElement
    public void process(@Element MatchResult.Metadata file, MultiOutputReceiver out) {
      TableFiles.readAll(
          file,
          List.of(columns.image(), columns.entityId(), columns.entityName()),
          "row table",
          new TableFiles.Sink() {
            @Override
            public void row(TableFiles.Row r) {
              String image = blankToNull(r.text(columns.image()));
              String id = blankToNull(r.text(columns.entityId()));
              String name = r.text(columns.entityName());
              if (image == null) {
                reject(
                    out,
                    r.ref(),
                    RegionReasons.ROW,
                    RegionReasons.IMAGE_MISSING,
                    "no value in '" + columns.image() + "'");
              } else if (id == null) {
                reject(
                    out,
                    r.ref(),
                    RegionReasons.ROW,
                    RegionReasons.ENTITY_ID_MISSING,
                    "no value in '" + columns.entityId() + "'");
              } else if (name == null || name.isBlank()) {
                reject(
                    out,
                    r.ref(),
                    RegionReasons.ROW,
                    RegionReasons.ENTITY_NAME_EMPTY,
                    "no value in '" + columns.entityName() + "'");
              } else if (name.length() > MAX_NAME_CHARS) {
                reject(
                    out,
                    r.ref(),
                    RegionReasons.ROW,
                    RegionReasons.ENTITY_NAME_TOO_LONG,
                    name.length() + " characters > " + MAX_NAME_CHARS);
              } else {
                String location;
                try {
                  location = Locations.resolve(file.resourceId(), image.strip());
                } catch (RuntimeException e) {
                  reject(
                      out,
                      r.ref(),
                      RegionReasons.ROW,
                      RegionReasons.IMAGE_PATH_INVALID,
                      "'" + image + "': " + e.getMessage());
                  return;
                }
                String type =
                    columns.entityType() == null ? null : blankToNull(r.text(columns.entityType()));
                String question =
                    columns.question() == null ? null : blankToNull(r.text(columns.question()));
                out.get(rowTag)
                    .output(
                        new RegionRow(
                            SampleIds.of(r.ref()),
                            r.ref(),
                            image.strip(),
                            location,
                            id.strip(),
                            name.strip().replaceAll("\\s+", " "),
                            type == null ? null : type.strip(),
                            question,
                            null,
                            null));
              }
            }

            @Override
            public void malformed(String ref, String reason, String detail) {
              reject(out, ref, STAGE, reason, detail);
            }
          });
    }

    private void reject(
        MultiOutputReceiver out, String ref, String stage, String reason, String detail) {
      out.get(rejectTag).output(Rejects.of(SampleIds.of(ref), ref, stage, reason, detail));
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
