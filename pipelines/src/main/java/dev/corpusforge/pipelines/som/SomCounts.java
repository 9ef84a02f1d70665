package dev.corpusforge.pipelines.som;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corpusforge.core.Tally;
import dev.corpusforge.core.output.StatsLines;
import java.util.Map;

/**
 * The manifest's {@code marks} section: the sum of the sources' and tagging stages' tallies — masks
 * read, masks dropped before numbering by reason ({@code dropped.*}), masks too small after
 * de-overlapping, marks drawn, labels cut — with marks per tagged image.
 */
final class SomCounts {
  static final String MASKS_IN = "masks_in";
  static final String DROPPED = "dropped.";
  static final String TOO_SMALL = "masks_too_small";
  static final String MARKS = "marks";
  static final String IMAGES_TAGGED = "images_tagged";
  static final String LABELS_CUT = "labels_cut";

  private SomCounts() {}

  /** The section's stats line from the run's summed tally. */
  static String section(Tally t) {
    ObjectNode n = StatsLines.JSON.createObjectNode();
    long images = t.get(IMAGES_TAGGED);
    long marks = t.get(MARKS);
    n.put(IMAGES_TAGGED, images).put(MASKS_IN, t.get(MASKS_IN));
    ObjectNode dropped = n.putObject("masks_dropped");
    for (Map.Entry<String, Long> e : t.counts().entrySet()) {
      if (e.getKey().startsWith(DROPPED)) {
        dropped.put(e.getKey().substring(DROPPED.length()), e.getValue());
      }
    }
    n.put(TOO_SMALL, t.get(TOO_SMALL))
        .put(MARKS, marks)
        .put("marks_per_image", images == 0 ? 0 : Math.round(100.0 * marks / images) / 100.0)
        .put(LABELS_CUT, t.get(LABELS_CUT));
    return StatsLines.manifest("marks", n);
  }
}
