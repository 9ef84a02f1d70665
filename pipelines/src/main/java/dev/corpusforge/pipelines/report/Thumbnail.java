package dev.corpusforge.pipelines.report;

import dev.corpusforge.core.RuleViolation;
import dev.corpusforge.filters.image.ImageCodec;
import dev.corpusforge.filters.image.ImageHeader;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.Base64;
import net.coobird.thumbnailator.Thumbnails;

/** Small JPEG thumbnails (base64) for the report; never decodes an image above a pixel budget. */
public final class Thumbnail {
  public static final int SIDE = 160;
  static final long MAX_PIXELS = 40_000_000L;

  private Thumbnail() {}

  /**
   * A base64 JPEG of at most {@link #SIDE} pixels a side, or null when the bytes are not a small
   * enough image.
   */
  public static String base64Jpeg(byte[] bytes) {
    try {
      ImageHeader header = ImageCodec.probe(bytes);
      if (header.pixels() > MAX_PIXELS || header.width() <= 0 || header.height() <= 0) {
        return null;
      }
      BufferedImage rgb = ImageCodec.decodeRgb(bytes);
      BufferedImage small = ImageCodec.toRgb(Thumbnails.of(rgb).size(SIDE, SIDE).asBufferedImage());
      return Base64.getEncoder().encodeToString(ImageCodec.encode(small, "jpeg", 0.8f));
    } catch (RuleViolation | IOException | RuntimeException e) {
      return null;
    }
  }

  /** A base64 JPEG of an image drawn for the report (e.g. a sample's graph). */
  public static String base64Jpeg(BufferedImage drawn) {
    try {
      return Base64.getEncoder()
          .encodeToString(ImageCodec.encode(ImageCodec.toRgb(drawn), "jpeg", 0.85f));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
