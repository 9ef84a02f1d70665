package dev.corpusforge.annotators.region;

import java.awt.image.BufferedImage;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code proposals} annotator: each {@link RegionProposals} candidate is cut out over white and
 * scored by the dual encoder's pooled cosine with the prompt; the best-scoring candidate is the
 * mask and its cosine the score. It never looks at the per-patch map the {@code similarity}
 * annotator uses, so the two err differently.
 */
public final class ProposalAnnotator implements RegionAnnotator {
  public static final String NAME = "proposals";

  /**
   * @param workSize the longer side the image is reduced to first
   * @param proposals how candidates are made
   * @param margin white border around a cut-out, as a share of its box
   * @param batchSize cut-outs per encoder pass
   */
  public record Settings(
      int workSize, RegionProposals.Settings proposals, double margin, int batchSize)
      implements Serializable {
    public static Settings defaults() {
      return new Settings(512, RegionProposals.Settings.defaults(), 0.05, 64);
    }
  }

  private final RegionScorer scorer;
  private final Settings settings;

  public ProposalAnnotator(RegionScorer scorer, Settings settings) {
    this.scorer = scorer;
    this.settings = settings;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Annotation annotate(BufferedImage rgb, String prompt) throws Exception {
    BufferedImage image = MaskImages.workCopy(rgb, settings.workSize());
    List<BinaryMask> candidates = RegionProposals.of(image, settings.proposals());
    double best = Double.NEGATIVE_INFINITY;
    BinaryMask bestMask = null;
    for (int from = 0; from < candidates.size(); from += settings.batchSize()) {
      List<BinaryMask> batch =
          candidates.subList(from, Math.min(candidates.size(), from + settings.batchSize()));
      List<BufferedImage> cutouts = new ArrayList<>(batch.size());
      for (BinaryMask m : batch) {
        cutouts.add(MaskImages.cutout(image, m, settings.margin()));
      }
      double[][] scores = scorer.scores(cutouts, List.of(prompt));
      for (int i = 0; i < scores.length; i++) {
        if (scores[i][0] > best) {
          best = scores[i][0];
          bestMask = batch.get(i);
        }
      }
    }
    return bestMask == null
        ? Annotation.none(NAME)
        : new Annotation(NAME, MaskImages.resize(bestMask, rgb.getWidth(), rgb.getHeight()), best);
  }
}
