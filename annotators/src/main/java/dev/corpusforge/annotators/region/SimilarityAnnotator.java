package dev.corpusforge.annotators.region;

import dev.corpusforge.scorers.SimilarityMap;
import java.awt.image.BufferedImage;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code similarity} annotator: grounds the prompt with the dual encoder's per-patch
 * late-interaction map. The image is covered by square windows at several scales (each window is
 * what the encoder sees at its own input size, so a small object gets more patches than in one
 * whole-image pass); each window's map is upsampled bilinearly onto its pixels and the maps are
 * averaged per pixel. The map is then snapped to image structure: among the class-agnostic {@link
 * RegionProposals}, the mask is the one where the map stands out most from a ring around it (mean
 * inside − mean in the ring, the ring being the box grown by {@code ring} of its size); that
 * contrast is the score. It never compares a crop's pooled embedding with the prompt, which is the
 * {@code proposals} annotator's signal.
 */
public final class SimilarityAnnotator implements RegionAnnotator {
  public static final String NAME = "similarity";

  /**
   * @param workSize the longer side the image is reduced to first
   * @param windows window sides as fractions of the shorter side; windows overlap by half
   * @param ring how far around a candidate its surroundings reach, as a share of its box
   * @param proposals how candidates are made
   */
  public record Settings(
      int workSize, List<Double> windows, double ring, RegionProposals.Settings proposals)
      implements Serializable {
    public static Settings defaults() {
      return new Settings(512, List.of(1.0, 0.5, 0.34), 0.15, RegionProposals.Settings.defaults());
    }
  }

  private final RegionScorer scorer;
  private final Settings settings;

  public SimilarityAnnotator(RegionScorer scorer, Settings settings) {
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
    return select(rgb, image, pixelMap(image, prompt));
  }

  /**
   * The proposal of the work image where {@code map} stands out most, as a mask of the full-size
   * image.
   */
  Annotation select(BufferedImage rgb, BufferedImage image, float[] map) {
    BinaryMask best = null;
    double bestContrast = Double.NEGATIVE_INFINITY;
    for (BinaryMask candidate : RegionProposals.of(image, settings.proposals())) {
      double c = contrast(map, candidate);
      if (c > bestContrast) {
        bestContrast = c;
        best = candidate;
      }
    }
    return best == null || Double.isInfinite(bestContrast)
        ? Annotation.none(NAME)
        : new Annotation(
            NAME, MaskImages.resize(best, rgb.getWidth(), rgb.getHeight()), bestContrast);
  }

  /** Mean map value inside the mask minus the mean in the ring around it; −∞ without a ring. */
  double contrast(float[] map, BinaryMask m) {
    int[] b = m.bbox();
    int pad = Math.max(2, (int) Math.round(settings.ring() * Math.max(b[2], b[3])));
    double in = 0;
    double out = 0;
    long nIn = 0;
    long nOut = 0;
    for (int y = Math.max(0, b[1] - pad); y < Math.min(m.height(), b[1] + b[3] + pad); y++) {
      for (int x = Math.max(0, b[0] - pad); x < Math.min(m.width(), b[0] + b[2] + pad); x++) {
        float v = map[y * m.width() + x];
        if (m.get(x, y)) {
          in += v;
          nIn++;
        } else {
          out += v;
          nOut++;
        }
      }
    }
    return nIn == 0 || nOut == 0 ? Double.NEGATIVE_INFINITY : in / nIn - out / nOut;
  }

  /** The per-pixel mean of the windows' upsampled maps, row-major over the work image. */
  float[] pixelMap(BufferedImage image, String prompt) throws Exception {
    int w = image.getWidth();
    int h = image.getHeight();
    List<int[]> windows = new ArrayList<>();
    List<BufferedImage> crops = new ArrayList<>();
    for (double f : settings.windows()) {
      int side = Math.max(8, (int) Math.round(f * Math.min(w, h)));
      side = Math.min(side, Math.min(w, h));
      for (int y : starts(h, side)) {
        for (int x : starts(w, side)) {
          windows.add(new int[] {x, y, side});
          crops.add(image.getSubimage(x, y, side, side));
        }
      }
    }
    List<SimilarityMap> maps = scorer.maps(crops, prompt);
    float[] sum = new float[w * h];
    int[] count = new int[w * h];
    for (int k = 0; k < windows.size(); k++) {
      int[] win = windows.get(k);
      SimilarityMap m = maps.get(k);
      int side = win[2];
      for (int y = 0; y < side; y++) {
        double gy = (y + 0.5) * m.rows() / side - 0.5;
        for (int x = 0; x < side; x++) {
          double gx = (x + 0.5) * m.cols() / side - 0.5;
          int p = (win[1] + y) * w + win[0] + x;
          sum[p] += (float) bilinear(m, gy, gx);
          count[p]++;
        }
      }
    }
    for (int i = 0; i < sum.length; i++) {
      sum[i] = count[i] == 0 ? 0 : sum[i] / count[i];
    }
    return sum;
  }

  /** Window origins along one axis: every half side, the last flush with the edge. */
  static List<Integer> starts(int length, int side) {
    List<Integer> out = new ArrayList<>();
    int stride = Math.max(1, side / 2);
    for (int s = 0; s + side < length; s += stride) {
      out.add(s);
    }
    out.add(length - side);
    return out;
  }

  private static double bilinear(SimilarityMap m, double gy, double gx) {
    gy = Math.max(0, Math.min(m.rows() - 1, gy));
    gx = Math.max(0, Math.min(m.cols() - 1, gx));
    int y0 = (int) Math.floor(gy);
    int x0 = (int) Math.floor(gx);
    int y1 = Math.min(m.rows() - 1, y0 + 1);
    int x1 = Math.min(m.cols() - 1, x0 + 1);
    double fy = gy - y0;
    double fx = gx - x0;
    double top = m.value(y0, x0) * (1 - fx) + m.value(y0, x1) * fx;
    double bottom = m.value(y1, x0) * (1 - fx) + m.value(y1, x1) * fx;
    return top * (1 - fy) + bottom * fy;
  }
}
