package dev.corpusforge.annotators.region;

import dev.corpusforge.scorers.LateInteraction;
import java.awt.image.BufferedImage;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

  /** The cut-out embeddings of the last few work images (as many as their proposals are kept). */
  private final Map<SameList, List<float[]>> recent =
      new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<SameList, List<float[]>> eldest) {
          return size() > RegionProposals.REMEMBERED_IMAGES;
        }
      };

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
    if (candidates.isEmpty()) {
      return Annotation.none(NAME);
    }
    List<float[]> embeddings = cutoutEmbeddings(image, candidates);
    float[] text = scorer.pooledText(prompt);
    double best = Double.NEGATIVE_INFINITY;
    BinaryMask bestMask = null;
    for (int i = 0; i < candidates.size(); i++) {
      double score = LateInteraction.clipScore(embeddings.get(i), text);
      if (score > best) {
        best = score;
        bestMask = candidates.get(i);
      }
    }
    return bestMask == null
        ? Annotation.none(NAME)
        : new Annotation(NAME, MaskImages.resize(bestMask, rgb.getWidth(), rgb.getHeight()), best);
  }

  /**
   * The pooled embedding of each candidate's cut-out, in passes of {@code batchSize}. They depend
   * on the work image alone, not on the prompt: the rows that ground several entities in one image
   * reuse them. {@link RegionProposals#of} hands out the same list for the same pixels, so that
   * list is the key.
   */
  private List<float[]> cutoutEmbeddings(BufferedImage image, List<BinaryMask> candidates)
      throws Exception {
    SameList key = new SameList(candidates);
    List<float[]> known = recent.get(key);
    if (known != null) {
      return known;
    }
    List<float[]> embeddings = new ArrayList<>(candidates.size());
    for (int from = 0; from < candidates.size(); from += settings.batchSize()) {
      List<BinaryMask> batch =
          candidates.subList(from, Math.min(candidates.size(), from + settings.batchSize()));
      List<BufferedImage> cutouts = new ArrayList<>(batch.size());
      for (BinaryMask m : batch) {
        cutouts.add(MaskImages.cutout(image, m, settings.margin()));
      }
      embeddings.addAll(scorer.pooledImages(cutouts));
    }
    recent.put(key, embeddings);
    return embeddings;
  }

  /** A list compared by identity. */
  private record SameList(List<BinaryMask> list) {
    @Override
    public boolean equals(Object o) {
      return o instanceof SameList s && s.list == list;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(list);
    }
  }
}
