package dev.corpusforge.pipelines.som;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corpusforge.core.output.StatsLines;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.transforms.Combine;

/**
 * The manifest's {@code marks} section: sums of {@code name\tn} lines — masks read, masks dropped
 * before numbering by reason ({@code dropped.*}), masks too small after de-overlapping, marks
 * drawn, labels cut — with marks per tagged image.
 */
final class SomCounts extends Combine.CombineFn<String, TreeMap<String, Long>, String> {
  static final String MASKS_IN = "masks_in";
  static final String DROPPED = "dropped.";
  static final String TOO_SMALL = "masks_too_small";
  static final String MARKS = "marks";
  static final String IMAGES_TAGGED = "images_tagged";
  static final String LABELS_CUT = "labels_cut";

  static String line(String name, long n) {
    return name + "\t" + n;
  }

  @Override
  public TreeMap<String, Long> createAccumulator() {
    return new TreeMap<>();
  }

  @Override
  public TreeMap<String, Long> addInput(TreeMap<String, Long> acc, String line) {
    int tab = line.lastIndexOf('\t');
    acc.merge(line.substring(0, tab), Long.parseLong(line.substring(tab + 1)), Long::sum);
    return acc;
  }

  @Override
  public TreeMap<String, Long> mergeAccumulators(Iterable<TreeMap<String, Long>> accs) {
    TreeMap<String, Long> all = new TreeMap<>();
    for (TreeMap<String, Long> a : accs) {
      a.forEach((k, v) -> all.merge(k, v, Long::sum));
    }
    return all;
  }

  @Override
  public String extractOutput(TreeMap<String, Long> acc) {
    ObjectNode n = StatsLines.JSON.createObjectNode();
    long images = acc.getOrDefault(IMAGES_TAGGED, 0L);
    long marks = acc.getOrDefault(MARKS, 0L);
    n.put(IMAGES_TAGGED, images).put(MASKS_IN, acc.getOrDefault(MASKS_IN, 0L));
    ObjectNode dropped = n.putObject("masks_dropped");
    for (Map.Entry<String, Long> e : acc.entrySet()) {
      if (e.getKey().startsWith(DROPPED)) {
        dropped.put(e.getKey().substring(DROPPED.length()), e.getValue());
      }
    }
    n.put(TOO_SMALL, acc.getOrDefault(TOO_SMALL, 0L))
        .put(MARKS, marks)
        .put("marks_per_image", images == 0 ? 0 : Math.round(100.0 * marks / images) / 100.0)
        .put(LABELS_CUT, acc.getOrDefault(LABELS_CUT, 0L));
    return StatsLines.manifest("marks", n);
  }
}
