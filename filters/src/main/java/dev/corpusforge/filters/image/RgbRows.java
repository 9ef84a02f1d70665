package dev.corpusforge.filters.image;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.IndexColorModel;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;

/**
 * Walks a decoded image row by row as 8-bit RGB ({@code 0x00RRGGBB}), transparency composited over
 * white. {@link #reader} is the one definition of "the pixels of an image": conversion to RGB and
 * the perceptual hash both read them through it. The layouts decoders produce most
 * (byte-interleaved RGB and RGBA, int RGB) are read directly, indexed ones through their palette,
 * any other through its colour model, pixel by pixel, as {@link BufferedImage#getRGB} reads them.
 */
public final class RgbRows {
  /** Receives one row; {@code rgb} is reused between calls. */
  public interface Sink {
    void row(int y, int[] rgb);
  }

  private RgbRows() {}

  public static void forEach(BufferedImage image, Sink sink) {
    int w = image.getWidth();
    int[] row = new int[w];
    PixelReader pixels = reader(image);
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < w; x++) {
        row[x] = pixels.rgb(x, y);
      }
      sink.row(y, row);
    }
  }

  /**
   * An ARGB value from {@code getRGB} as RGB over white ({@code alpha}: the image has an alpha
   * channel).
   */
  private static int overWhite(int argb, boolean alpha) {
    int a = argb >>> 24;
    return !alpha || a == 255
        ? argb & 0xffffff
        : over((argb >> 16) & 0xff, (argb >> 8) & 0xff, argb & 0xff, a);
  }

  /** A non-premultiplied colour at alpha {@code a} composited over white. */
  static int over(int r, int g, int b, int a) {
    int white = 255 * (255 - a);
    return (div255(r * a + white) << 16) | (div255(g * a + white) << 8) | div255(b * a + white);
  }

  /** round(v / 255) for 0 ≤ v ≤ 65025, without a division. */
  static int div255(int v) {
    v += 128;
    return (v + (v >> 8)) >> 8;
  }

  /**
   * Reads the RGB of single pixels (same definition as {@link #forEach}) for sampling: direct for
   * byte-interleaved RGB/RGBA and int RGB, a palette lookup for indexed images, otherwise the
   * colour model's conversion of that one pixel, as {@link BufferedImage#getRGB} does it (a sample
   * of a wide image no longer converts its whole row).
   */
  public static PixelReader reader(BufferedImage image) {
    Raster raster = image.getRaster();
    int type = image.getType();
    boolean untranslated =
        raster.getSampleModelTranslateX() == 0 && raster.getSampleModelTranslateY() == 0;
    if (type == BufferedImage.TYPE_INT_RGB
        && untranslated
        && raster.getDataBuffer() instanceof DataBufferInt ints
        && raster.getSampleModel() instanceof java.awt.image.SinglePixelPackedSampleModel m) {
      int[] data = ints.getData();
      int stride = m.getScanlineStride();
      return (x, y) -> data[y * stride + x] & 0xffffff;
    }
    if ((type == BufferedImage.TYPE_4BYTE_ABGR || type == BufferedImage.TYPE_3BYTE_BGR)
        && untranslated
        && raster.getDataBuffer() instanceof DataBufferByte bytes
        && bytes.getNumBanks() == 1
        && raster.getSampleModel() instanceof PixelInterleavedSampleModel model) {
      byte[] src = bytes.getData();
      int stride = model.getScanlineStride();
      int step = model.getPixelStride();
      int[] o = model.getBandOffsets();
      boolean alpha = type == BufferedImage.TYPE_4BYTE_ABGR;
      return (x, y) -> {
        int p = y * stride + x * step;
        int r = src[p + o[0]] & 0xff;
        int g = src[p + o[1]] & 0xff;
        int b = src[p + o[2]] & 0xff;
        int a = alpha ? src[p + o[3]] & 0xff : 255;
        return a == 255 ? (r << 16) | (g << 8) | b : over(r, g, b, a);
      };
    }
    ColorModel model = image.getColorModel();
    boolean alpha = model.hasAlpha();
    if (model instanceof IndexColorModel palette) {
      return (x, y) -> overWhite(palette.getRGB(raster.getSample(x, y, 0)), alpha);
    }
    Object[] elements = {null};
    return (x, y) -> {
      elements[0] = raster.getDataElements(x, y, elements[0]);
      return overWhite(model.getRGB(elements[0]), alpha);
    };
  }

  /** RGB of one pixel. */
  public interface PixelReader {
    int rgb(int x, int y);
  }
}
