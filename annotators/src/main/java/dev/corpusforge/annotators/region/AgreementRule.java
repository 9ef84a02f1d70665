package dev.corpusforge.annotators.region;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * Decides whether two or more annotators' answers make one trustworthy mask, in this order: every
 * annotator found a region ({@code no_region_found}); every score reaches its annotator's floor
 * ({@code low_score}); every pair of masks overlaps with IoU ≥ {@code minAgreement} ({@code
 * annotators_disagree}); the consensus mask covers between {@code minArea} and {@code maxArea} of
 * the image ({@code mask_too_small}, {@code mask_too_large}). The consensus is the pixels every
 * annotator marked ({@code intersection}, the default: a pixel is kept only when no annotator
 * doubts it) or any marked ({@code union}).
 *
 * @param scoreFloors per annotator name, the lowest acceptable score; annotators not named have
 *     none
 */
public record AgreementRule(
    double minAgreement,
    double minArea,
    double maxArea,
    Map<String, Double> scoreFloors,
    String consensus)
    implements Serializable {
  public static final double DEFAULT_MIN_AGREEMENT = 0.5;
  public static final double DEFAULT_MIN_AREA = 0.001;
  public static final double DEFAULT_MAX_AREA = 0.9;

  public static final String NO_REGION_FOUND = "no_region_found";
  public static final String LOW_SCORE = "low_score";
  public static final String ANNOTATORS_DISAGREE = "annotators_disagree";
  public static final String MASK_TOO_SMALL = "mask_too_small";
  public static final String MASK_TOO_LARGE = "mask_too_large";

  public AgreementRule {
    if (!consensus.equals("intersection") && !consensus.equals("union")) {
      throw new IllegalArgumentException(
          "--consensus must be intersection or union, not '" + consensus + "'");
    }
    if (minAgreement < 0 || minAgreement > 1 || minArea < 0 || maxArea > 1 || minArea > maxArea) {
      throw new IllegalArgumentException("agreement and area bounds must lie in [0, 1], min ≤ max");
    }
    scoreFloors = Map.copyOf(scoreFloors);
  }

  /** The kept mask with the smallest pairwise IoU, or the reason there is none. */
  public record Verdict(BinaryMask mask, double agreement, String reason, String detail)
      implements java.io.Serializable {
    public boolean kept() {
      return reason == null;
    }
  }

  public Verdict judge(List<Annotation> answers) {
    for (Annotation a : answers) {
      if (!a.found()) {
        return new Verdict(
            null,
            Double.NaN,
            NO_REGION_FOUND,
            "the " + a.annotator() + " annotator found no region");
      }
    }
    for (Annotation a : answers) {
      Double floor = scoreFloors.get(a.annotator());
      if (floor != null && !(a.score() >= floor)) {
        return new Verdict(
            null,
            Double.NaN,
            LOW_SCORE,
            String.format(
                java.util.Locale.ROOT,
                "%s score %.4f under %.4f",
                a.annotator(),
                a.score(),
                floor));
      }
    }
    double agreement = 1;
    BinaryMask consensusMask = answers.get(0).mask();
    for (int i = 0; i < answers.size(); i++) {
      for (int j = i + 1; j < answers.size(); j++) {
        agreement = Math.min(agreement, answers.get(i).mask().iou(answers.get(j).mask()));
      }
      if (i > 0) {
        consensusMask =
            consensus.equals("intersection")
                ? consensusMask.and(answers.get(i).mask())
                : consensusMask.or(answers.get(i).mask());
      }
    }
    if (agreement < minAgreement) {
      return new Verdict(
          null,
          agreement,
          ANNOTATORS_DISAGREE,
          String.format(
              java.util.Locale.ROOT,
              "IoU %.4f between the annotators' masks, under %.4f",
              agreement,
              minAgreement));
    }
    double share = consensusMask.areaFraction();
    if (share < minArea || consensusMask.isEmpty()) {
      return new Verdict(
          null,
          agreement,
          MASK_TOO_SMALL,
          String.format(
              java.util.Locale.ROOT, "mask covers %.5f of the image, under %.5f", share, minArea));
    }
    if (share > maxArea) {
      return new Verdict(
          null,
          agreement,
          MASK_TOO_LARGE,
          String.format(
              java.util.Locale.ROOT, "mask covers %.5f of the image, over %.5f", share, maxArea));
    }
    return new Verdict(consensusMask, agreement, null, null);
  }
}
