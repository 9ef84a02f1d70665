package dev.corpusforge.pipelines.regionentity;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corpusforge.core.output.StatsLines;
import java.io.Serializable;
import java.util.Locale;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.Combine;

/**
 * The manifest's {@code annotation} section: rows that reached the annotators ({@code attempted}),
 * rows kept, and the success rate kept / attempted; with ground truth, an {@code evaluation} of the
 * rows the ground truth covers, overall and by the number of objects in the image: kept rate, the
 * share of kept masks with IoU ≥ 0.5 against the truth (precision) and their mean IoU. Input: one
 * {@link #line} per annotated row.
 */
final class AnnotationStats extends Combine.CombineFn<String, AnnotationStats.Acc, String> {
  /** {@code objects \t covered \t kept \t iou} (iou empty when not kept or not covered). */
  static String line(int objects, boolean covered, boolean kept, Double iou) {
    return objects + "\t" + covered + "\t" + kept + "\t" + (iou == null ? "" : iou.toString());
  }

  static final class Tally implements Serializable {
    long attempted;
    long kept;
    long keptIou50;
    double iouSum;

    void add(Tally o) {
      attempted += o.attempted;
      kept += o.kept;
      keptIou50 += o.keptIou50;
      iouSum += o.iouSum;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Tally t
          && t.attempted == attempted
          && t.kept == kept
          && t.keptIou50 == keptIou50
          && t.iouSum == iouSum;
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hash(attempted, kept, keptIou50, iouSum);
    }

    ObjectNode json() {
      ObjectNode n =
          StatsLines.JSON
              .createObjectNode()
              .put("attempted", attempted)
              .put("kept", kept)
              .put("kept_rate", ratio(kept, attempted))
              .put("kept_iou50", keptIou50)
              .put("precision_iou50", ratio(keptIou50, kept));
      n.put("mean_iou", kept == 0 ? 0 : Math.round(iouSum / kept * 1e4) / 1e4);
      return n;
    }
  }

  static final class Acc implements Serializable {
    final Tally all = new Tally();
    final Tally covered = new Tally();
    final TreeMap<Integer, Tally> byObjects = new TreeMap<>();

    // value equality, so Beam can check that the accumulator coder is deterministic
    @Override
    public boolean equals(Object o) {
      return o instanceof Acc a
          && a.all.equals(all)
          && a.covered.equals(covered)
          && a.byObjects.equals(byObjects);
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hash(all, covered, byObjects);
    }
  }

  @Override
  public Acc createAccumulator() {
    return new Acc();
  }

  @Override
  public Acc addInput(Acc acc, String line) {
    String[] f = line.split("\t", -1);
    int objects = Integer.parseInt(f[0]);
    boolean covered = Boolean.parseBoolean(f[1]);
    boolean kept = Boolean.parseBoolean(f[2]);
    Tally t = new Tally();
    t.attempted = 1;
    t.kept = kept ? 1 : 0;
    if (!f[3].isEmpty()) {
      double iou = Double.parseDouble(f[3]);
      t.iouSum = iou;
      t.keptIou50 = iou >= 0.5 ? 1 : 0;
    }
    acc.all.attempted++;
    acc.all.kept += t.kept;
    if (covered) {
      acc.covered.add(t);
      acc.byObjects.computeIfAbsent(objects, k -> new Tally()).add(t);
    }
    return acc;
  }

  @Override
  public Acc mergeAccumulators(Iterable<Acc> accs) {
    Acc out = new Acc();
    for (Acc a : accs) {
      out.all.add(a.all);
      out.covered.add(a.covered);
      a.byObjects.forEach((k, v) -> out.byObjects.computeIfAbsent(k, x -> new Tally()).add(v));
    }
    return out;
  }

  @Override
  public String extractOutput(Acc acc) {
    ObjectNode section =
        StatsLines.JSON
            .createObjectNode()
            .put("attempted", acc.all.attempted)
            .put("kept", acc.all.kept)
            .put("success_rate", ratio(acc.all.kept, acc.all.attempted));
    if (acc.covered.attempted > 0) {
      ObjectNode eval = section.putObject("evaluation");
      eval.setAll(acc.covered.json());
      ObjectNode by = eval.putObject("by_objects_in_image");
      acc.byObjects.forEach((k, v) -> by.set(Integer.toString(k), v.json()));
    }
    return StatsLines.manifest("annotation", section);
  }

  private static double ratio(long a, long b) {
    return b == 0 ? 0 : Double.parseDouble(String.format(Locale.ROOT, "%.4f", (double) a / b));
  }

  @Override
  public Coder<Acc> getAccumulatorCoder(CoderRegistry registry, Coder<String> inputCoder) {
    return SerializableCoder.of(Acc.class);
  }
}
