package dev.corpusforge.pipelines.regionentity;

import dev.corpusforge.core.Outcome;
import dev.corpusforge.core.read.ReadTable;
import dev.corpusforge.core.read.TableFiles;
import dev.corpusforge.pipelines.io.Locations;
import java.util.List;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * Reads the {@code {image, entity_id, entity_name}} rows ({@link TableFiles}: CSV, TSV, JSON lines,
 * Parquet; local or s3://). An image given as a relative path is resolved against the folder of the
 * file that names it; absolute paths, http(s) URLs and s3:// are kept as they are. A row without
 * image or entity id, or with an empty or over-long entity name, is a reject.
 */
final class RegionRowSource {
  /** Longest entity name accepted, in characters. */
  static final int MAX_NAME_CHARS = 1000;

  private RegionRowSource() {}

  static ReadTable<RegionRow> of(List<String> patterns, RegionColumns columns) {
    return ReadTable.of(
            "row table",
            patterns,
            List.of(columns.image(), columns.entityId(), columns.entityName()),
            new Rows(columns),
            SerializableCoder.of(RegionRow.class))
        .withRowStage(RegionReasons.ROW);
  }

  /** A row with an image, an entity id and a name of sane length is a {@link RegionRow}. */
  record Rows(RegionColumns columns) implements ReadTable.RowParser<RegionRow> {
    @Override
    public Outcome<RegionRow> parse(TableFiles.Row r, ResourceId file) {
      String image = blankToNull(r.text(columns.image()));
      String id = blankToNull(r.text(columns.entityId()));
      String name = r.text(columns.entityName());
      if (image == null) {
        return Outcome.drop(RegionReasons.IMAGE_MISSING, "no value in '" + columns.image() + "'");
      } else if (id == null) {
        return Outcome.drop(
            RegionReasons.ENTITY_ID_MISSING, "no value in '" + columns.entityId() + "'");
      } else if (name == null || name.isBlank()) {
        return Outcome.drop(
            RegionReasons.ENTITY_NAME_EMPTY, "no value in '" + columns.entityName() + "'");
      } else if (name.length() > MAX_NAME_CHARS) {
        return Outcome.drop(
            RegionReasons.ENTITY_NAME_TOO_LONG, name.length() + " characters > " + MAX_NAME_CHARS);
      }
      String location;
      try {
        location = Locations.resolve(file, image.strip());
      } catch (RuntimeException e) {
        return Outcome.drop(RegionReasons.IMAGE_PATH_INVALID, "'" + image + "': " + e.getMessage());
      }
      String type = columns.entityType() == null ? null : blankToNull(r.text(columns.entityType()));
      String question = columns.question() == null ? null : blankToNull(r.text(columns.question()));
      return Outcome.keep(
          new RegionRow(
              TableFiles.sampleId(r.ref()),
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

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
