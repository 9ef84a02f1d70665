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
final class AnnotationStats
    extends Combine.CombineFn<AnnotationStats.Annotated, AnnotationStats.Acc, String> {
  /**
   * One row that reached the agreement rule: the objects its image has in the ground truth, whether
   * the ground truth covers it, whether it was kept, and the IoU of its mask with the truth (null
   * when not kept or not covered).
   */
  record Annotated(int objects, boolean covered, boolean kept, Double iou) implements Serializable {
    static Annotated of(Annotating judged) {
      GroundTruth.Match truth = judged.truth();
      return new Annotated(
          truth == null ? 0 : truth.objects(),
          truth != null,
          judged.verdict().kept(),
          judged.gtIou());
    }
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
  public Acc addInput(Acc acc, Annotated row) {
    Tally t = new Tally();
    t.attempted = 1;
    t.kept = row.kept() ? 1 : 0;
    if (row.iou() != null) {
      t.iouSum = row.iou();
      t.keptIou50 = row.iou() >= 0.5 ? 1 : 0;
    }
    acc.all.attempted++;
    acc.all.kept += t.kept;
    if (row.covered()) {
      acc.covered.add(t);
      acc.byObjects.computeIfAbsent(row.objects(), k -> new Tally()).add(t);
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
  public Coder<Acc> getAccumulatorCoder(CoderRegistry registry, Coder<Annotated> inputCoder) {
    return SerializableCoder.of(Acc.class);
  }
}
