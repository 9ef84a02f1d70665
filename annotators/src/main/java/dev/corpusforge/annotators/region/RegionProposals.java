package dev.corpusforge.annotators.region;

import java.awt.image.BufferedImage;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Class-agnostic candidate regions of an image: {@link RegionGrouping} over Felzenszwalb–
 * Huttenlocher segments of the work copy, kept when their area share is within bounds, the latest
 * merges (the larger groups) first, at most {@code maxProposals}.
 */
public final class RegionProposals {
  /**
   * @param segmentScale Felzenszwalb–Huttenlocher's k (larger: fewer, larger segments)
   * @param minSegment smallest segment in pixels of the work image
   * @param minArea smallest proposal as a share of the image
   * @param maxArea largest proposal as a share of the image
   * @param maxProposals proposals kept per image
   */
  public record Settings(
      float segmentScale, int minSegment, double minArea, double maxArea, int maxProposals)
      implements Serializable {
    public static Settings defaults() {
      return new Settings(300f, 60, 0.005, 0.6, 400);
    }
  }

  private RegionProposals() {}

  /** The proposals' masks over {@code image} (already the work copy). */
  public static List<BinaryMask> of(BufferedImage image, Settings settings) {
    Superpixels.Labels segments =
        Superpixels.fh04(image, settings.segmentScale(), settings.minSegment());
    List<RegionGrouping.Proposal> all = RegionGrouping.proposals(image, segments);
    long total = (long) image.getWidth() * image.getHeight();
    List<BinaryMask> kept = new ArrayList<>();
    for (int i = all.size() - 1; i >= 0 && kept.size() < settings.maxProposals(); i--) {
      RegionGrouping.Proposal p = all.get(i);
      double share = (double) p.area() / total;
      if (share >= settings.minArea() && share <= settings.maxArea()) {
        kept.add(p.mask(segments));
      }
    }
    return kept;
  }
}
