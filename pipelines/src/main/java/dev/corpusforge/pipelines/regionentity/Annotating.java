package dev.corpusforge.pipelines.regionentity;

import dev.corpusforge.annotators.region.AgreementRule;
import dev.corpusforge.annotators.region.Annotation;
import dev.corpusforge.core.RecordIdentity;
import dev.corpusforge.filters.image.RgbImage;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * A row on its way through the annotation stages: its image, the answers of the annotators so far,
 * and, once judged, the agreement rule's verdict and the match with the ground truth (null without
 * {@code --ground-truth}).
 */
record Annotating(
    RegionRow row,
    RgbImage image,
    List<Annotation> answers,
    AgreementRule.Verdict verdict,
    GroundTruth.Match truth)
    implements Serializable {

  static Annotating loaded(RegionRow row, RgbImage image) {
    return new Annotating(row, image, List.of(), null, null);
  }

  Annotating withAnswer(Annotation answer) {
    List<Annotation> all = new ArrayList<>(answers);
    all.add(answer);
    return new Annotating(row, image, List.copyOf(all), null, null);
  }

  Annotating judged(AgreementRule.Verdict judgement, GroundTruth.Match match) {
    return new Annotating(row, image, answers, judgement, match);
  }

  /** The ground-truth IoU of the agreed mask: null when not kept or without ground truth. */
  Double gtIou() {
    return truth == null || !verdict.kept() ? null : truth.mask().iou(verdict.mask());
  }

  static final RecordIdentity<Annotating> IDENTITY =
      RecordIdentity.of(a -> a.row().sampleId(), a -> a.row().source());
}
