package dev.corpusforge.filters.image;

import static dev.corpusforge.filters.image.ImageReasons.*;

import dev.corpusforge.core.Verdict;
import java.io.Serializable;

/**
 * Size rules checked on the header, before a single pixel is decoded: byte cap, pixel cap
 * (decompression bombs), shorter side and aspect ratio (FILIP: shorter side ≥ 200, long/short ≤ 3).
 * A value ≤ 0 turns a rule off.
 *
 * @param maxBytes largest encoded image accepted, in bytes
 * @param maxPixels largest width × height accepted; default is Pillow's MAX_IMAGE_PIXELS
 * @param minSide smallest accepted shorter side, in pixels
 * @param maxAspect largest accepted ratio of the longer side to the shorter side
 */
public record ImageRules(long maxBytes, long maxPixels, int minSide, double maxAspect)
    implements Serializable {
  public static final long DEFAULT_MAX_BYTES = 32L << 20;
  public static final long DEFAULT_MAX_PIXELS = 89_478_485L;
  public static final int DEFAULT_MIN_SIDE = 200;
  public static final double DEFAULT_MAX_ASPECT = 3.0;

  public static ImageRules defaults() {
    return new ImageRules(
        DEFAULT_MAX_BYTES, DEFAULT_MAX_PIXELS, DEFAULT_MIN_SIDE, DEFAULT_MAX_ASPECT);
  }

  /** The byte cap, checked before anything is parsed. */
  public Verdict checkBytes(long size) {
    if (size == 0) {
      return Verdict.drop(IMAGE_EMPTY, "0 bytes");
    }
    if (maxBytes > 0 && size > maxBytes) {
      return Verdict.drop(IMAGE_TOO_LARGE_BYTES, size + " bytes > max " + maxBytes);
    }
    return Verdict.keep();
  }

  /** Pixel cap, shorter side and aspect ratio, from the header alone. */
  public Verdict checkHeader(ImageHeader header) {
    int w = header.width();
    int h = header.height();
    if (w <= 0 || h <= 0) {
      return Verdict.drop(IMAGE_HEADER_UNREADABLE, "header gives " + w + "x" + h);
    }
    if (maxPixels > 0 && header.pixels() > maxPixels) {
      return Verdict.drop(
          IMAGE_TOO_MANY_PIXELS,
          w + "x" + h + " = " + header.pixels() + " pixels > max " + maxPixels);
    }
    int shorter = Math.min(w, h);
    if (minSide > 0 && shorter < minSide) {
      return Verdict.drop(
          MIN_SIDE, "shorter side " + shorter + " < " + minSide + " (" + w + "x" + h + ")");
    }
    double aspect = (double) Math.max(w, h) / shorter;
    if (maxAspect > 0 && aspect > maxAspect) {
      return Verdict.drop(
          ASPECT_RATIO, String.format("long/short %.3f > %s (%dx%d)", aspect, maxAspect, w, h));
    }
    return Verdict.keep();
  }
}
