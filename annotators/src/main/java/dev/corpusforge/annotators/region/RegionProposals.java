package dev.corpusforge.annotators.region;

import java.awt.image.BufferedImage;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Class-agnostic candidate regions of an image: {@link RegionGrouping} over Felzenszwalb–
 * Huttenlocher segments of the work copy, kept when their area share is within bounds, the latest
 * merges (the larger groups) first, at most {@code maxProposals}.
 *
 * <p>The proposals depend on the pixels and the settings alone, and both default annotators ask for
 * the same ones (as do the rows that ground several entities in one image): each thread remembers
 * the proposals of its last few work images, matched on every pixel, so they are built once. The
 * returned list and its masks are shared: read them, never change them.
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

  /** Work images whose proposals each thread keeps. */
  static final int REMEMBERED_IMAGES = 4;

  private static final ThreadLocal<Map<Key, List<BinaryMask>>> RECENT =
      ThreadLocal.withInitial(
          () ->
              new LinkedHashMap<>(8, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Key, List<BinaryMask>> eldest) {
                  return size() > REMEMBERED_IMAGES;
                }
              });

  private RegionProposals() {}

  /** The proposals' masks over {@code image} (already the work copy); shared, read-only. */
  public static List<BinaryMask> of(BufferedImage image, Settings settings) {
    Key key = Key.of(image, settings);
    Map<Key, List<BinaryMask>> recent = RECENT.get();
    List<BinaryMask> known = recent.get(key);
    if (known == null) {
      known = Collections.unmodifiableList(build(image, settings));
      recent.put(key, known);
    }
    return known;
  }

  /** An image's pixels and the settings, equal only when every pixel is. */
  private record Key(int width, int height, int[] pixels, int pixelHash, Settings settings) {
    static Key of(BufferedImage image, Settings settings) {
      int w = image.getWidth();
      int h = image.getHeight();
      int[] pixels = image.getRGB(0, 0, w, h, null, 0, w);
      return new Key(w, h, pixels, Arrays.hashCode(pixels), settings);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k
          && k.width == width
          && k.height == height
          && k.pixelHash == pixelHash
          && k.settings.equals(settings)
          && Arrays.equals(k.pixels, pixels);
    }

    @Override
    public int hashCode() {
      return 31 * pixelHash + settings.hashCode();
    }
  }

  static List<BinaryMask> build(BufferedImage image, Settings settings) {
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
