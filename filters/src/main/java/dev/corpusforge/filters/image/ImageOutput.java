package dev.corpusforge.filters.image;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.Serializable;
import java.util.Locale;
import net.coobird.thumbnailator.Thumbnails;
import net.coobird.thumbnailator.geometry.Positions;

/**
 * How kept images are written: resize mode and encoding.
 *
 * @param resize {@code keep}, {@code max-side} (shrink so the longer side is at most {@code size};
 *     never enlarge) or {@code center-crop} (scale the shorter side to {@code size}, crop the
 *     centre square)
 * @param size target size in pixels for the resize modes that need one
 * @param format {@code jpeg}, {@code png}, or {@code original} (the input bytes untouched; needs
 *     {@code resize = keep})
 * @param jpegQuality JPEG quality, 1..100
 */
public record ImageOutput(String resize, int size, String format, int jpegQuality)
    implements Serializable {
  public static final String KEEP = "keep";
  public static final String MAX_SIDE = "max-side";
  public static final String CENTER_CROP = "center-crop";
  public static final String ORIGINAL = "original";

  public ImageOutput {
    resize = resize.toLowerCase(Locale.ROOT);
    format = format.toLowerCase(Locale.ROOT);
    if (format.equals("jpg")) {
      format = "jpeg";
    }
    if (!resize.equals(KEEP) && !resize.equals(MAX_SIDE) && !resize.equals(CENTER_CROP)) {
      throw new IllegalArgumentException(
          "resize mode must be keep, max-side or center-crop, not " + resize);
    }
    if (!resize.equals(KEEP) && size <= 0) {
      throw new IllegalArgumentException("resize mode " + resize + " needs a size > 0");
    }
    if (!format.equals("jpeg") && !format.equals("png") && !format.equals(ORIGINAL)) {
      throw new IllegalArgumentException(
          "output format must be jpeg, png or original, not " + format);
    }
    if (format.equals(ORIGINAL) && !resize.equals(KEEP)) {
      throw new IllegalArgumentException(
          "output format 'original' keeps the input bytes, so it needs resize mode keep");
    }
    if (jpegQuality < 1 || jpegQuality > 100) {
      throw new IllegalArgumentException("JPEG quality must be in 1..100, not " + jpegQuality);
    }
  }

  public static ImageOutput defaults() {
    return new ImageOutput(KEEP, 0, "jpeg", 95);
  }

  public boolean keepsOriginalBytes() {
    return format.equals(ORIGINAL);
  }

  /** Applies the resize mode to an RGB image. */
  public BufferedImage resize(BufferedImage rgb) throws IOException {
    int w = rgb.getWidth();
    int h = rgb.getHeight();
    switch (resize) {
      case MAX_SIDE:
        if (Math.max(w, h) <= size) {
          return rgb;
        }
        return ImageCodec.toRgb(
            Thumbnails.of(rgb).size(size, size).keepAspectRatio(true).asBufferedImage());
      case CENTER_CROP:
        return ImageCodec.toRgb(
            Thumbnails.of(rgb).size(size, size).crop(Positions.CENTER).asBufferedImage());
      default:
        return rgb;
    }
  }

  /** Encodes an RGB image in this output's format. */
  public byte[] encode(BufferedImage rgb) throws IOException {
    return ImageCodec.encode(rgb, format, jpegQuality / 100f);
  }
}
