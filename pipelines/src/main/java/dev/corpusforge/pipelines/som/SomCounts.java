package dev.corpusforge.pipelines.som;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corpusforge.core.Tally;
import dev.corpusforge.core.output.StatsLines;
import java.util.Map;
import org.apache.beam.sdk.transforms.Combine;

/**
 * The manifest's {@code marks} section: the sum of the sources' and tagging stages' tallies — masks
 * read, masks dropped before numbering by reason ({@code dropped.*}), masks too small after
 * de-overlapping, marks drawn, labels cut — with marks per tagged image.
 */
final class SomCounts extends Combine.CombineFn<Tally, Tally, String> {
  static final String MASKS_IN = "masks_in";
  static final String DROPPED = "dropped.";
  static final String TOO_SMALL = "masks_too_small";
  static final String MARKS = "marks";
  static final String IMAGES_TAGGED = "images_tagged";
  static final String LABELS_CUT = "labels_cut";

  @Override
  public Tally createAccumulator() {
    return Tally.empty();
  }

  @Override
  public Tally addInput(Tally acc, Tally counted) {
    return acc.addAll(counted);
  }

  @Override
  public Tally mergeAccumulators(Iterable<Tally> accs) {
    Tally all = Tally.empty();
    accs.forEach(all::addAll);
    return all;
  }

  @Override
  public org.apache.beam.sdk.coders.Coder<Tally> getAccumulatorCoder(
      org.apache.beam.sdk.coders.CoderRegistry registry,
      org.apache.beam.sdk.coders.Coder<Tally> inputCoder) {
    return Tally.coder();
  }

  @Override
  public String extractOutput(Tally t) {
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
