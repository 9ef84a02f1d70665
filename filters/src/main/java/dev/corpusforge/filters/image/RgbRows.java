package dev.corpusforge.filters.image;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.IndexColorModel;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.awt.image.SinglePixelPackedSampleModel;
import java.util.Arrays;

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

  /**
   * Reads pixels of one row at a time: the layout is chosen once per image, and the loop over a
   * row's pixels runs inside the reader of that layout rather than through a call per pixel.
   */
  public interface PixelReader {
    /** Sets {@code rgb[i]} to the pixel at column {@code xs[i]} of row {@code y}, for every i. */
    void read(int y, int[] xs, int[] rgb);
  }

  private RgbRows() {}

  public static void forEach(BufferedImage image, Sink sink) {
    int w = image.getWidth();
    int[] xs = new int[w];
    Arrays.setAll(xs, x -> x);
    int[] row = new int[w];
    PixelReader pixels = reader(image);
    for (int y = 0; y < image.getHeight(); y++) {
      pixels.read(y, xs, row);
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
   * The reader of {@code image}'s layout: direct for byte-interleaved RGB/RGBA and int RGB, a
   * palette table for indexed images, a table of the colour model's answers for one- and two-byte
   * pixels (grey, grey with alpha), otherwise the colour model's conversion of each pixel, as
   * {@link BufferedImage#getRGB} does it.
   */
  public static PixelReader reader(BufferedImage image) {
    Raster raster = image.getRaster();
    int type = image.getType();
    boolean untranslated =
        raster.getSampleModelTranslateX() == 0 && raster.getSampleModelTranslateY() == 0;
    byte[] bytes = null;
    PixelInterleavedSampleModel interleaved = null;
    if (untranslated
        && raster.getDataBuffer() instanceof DataBufferByte b
        && b.getNumBanks() == 1
        && raster.getSampleModel() instanceof PixelInterleavedSampleModel m) {
      bytes = b.getData();
      interleaved = m;
    }
    if (type == BufferedImage.TYPE_INT_RGB
        && untranslated
        && raster.getDataBuffer() instanceof DataBufferInt ints
        && raster.getSampleModel() instanceof SinglePixelPackedSampleModel m) {
      return new IntRgb(ints.getData(), m.getScanlineStride());
    }
    if ((type == BufferedImage.TYPE_3BYTE_BGR || type == BufferedImage.TYPE_4BYTE_ABGR)
        && interleaved != null) {
      return new ByteInterleaved(bytes, interleaved, type == BufferedImage.TYPE_4BYTE_ABGR);
    }
    ColorModel model = image.getColorModel();
    boolean alpha = model.hasAlpha();
    if (model instanceof IndexColorModel palette) {
      return Palette.of(raster, palette, alpha, bytes, interleaved);
    }
    if (interleaved != null && interleaved.getNumBands() <= 2) {
      return new SmallPixels(bytes, interleaved, model, alpha);
    }
    return new ByColourModel(raster, model, alpha);
  }

  /** Packed int RGB. */
  private record IntRgb(int[] data, int stride) implements PixelReader {
    @Override
    public void read(int y, int[] xs, int[] rgb) {
      int base = y * stride;
      for (int i = 0; i < xs.length; i++) {
        rgb[i] = data[base + xs[i]] & 0xffffff;
      }
    }
  }

  /**
   * Byte-interleaved RGB, or non-premultiplied RGBA composited over white (the band offsets say
   * where each channel is).
   */
  private static final class ByteInterleaved implements PixelReader {
    private final byte[] src;
    private final int stride;
    private final int step;
    private final int r;
    private final int g;
    private final int b;

    /** The alpha channel's offset; -1 for opaque RGB. */
    private final int a;

    ByteInterleaved(byte[] src, PixelInterleavedSampleModel model, boolean alpha) {
      this.src = src;
      this.stride = model.getScanlineStride();
      this.step = model.getPixelStride();
      int[] o = model.getBandOffsets();
      this.r = o[0];
      this.g = o[1];
      this.b = o[2];
      this.a = alpha ? o[3] : -1;
    }

    @Override
    public void read(int y, int[] xs, int[] rgb) {
      int base = y * stride;
      for (int i = 0; i < xs.length; i++) {
        int p = base + xs[i] * step;
        int red = src[p + r] & 0xff;
        int green = src[p + g] & 0xff;
        int blue = src[p + b] & 0xff;
        int alpha = a < 0 ? 255 : src[p + a] & 0xff;
        rgb[i] = alpha == 255 ? (red << 16) | (green << 8) | blue : over(red, green, blue, alpha);
      }
    }
  }

  /**
   * Indexed colour: each index's colour over white worked out once; indices read from the bytes
   * when there is one per byte, else through the raster (packed 1, 2 and 4-bit pixels).
   */
  private static final class Palette implements PixelReader {
    private final Raster raster;
    private final int[] colours;
    private final byte[] bytes;
    private final int stride;
    private final int step;
    private final int offset;

    private Palette(Raster raster, int[] colours, byte[] bytes, PixelInterleavedSampleModel model) {
      this.raster = raster;
      this.colours = colours;
      this.bytes = model != null && model.getNumBands() == 1 ? bytes : null;
      this.stride = model == null ? 0 : model.getScanlineStride();
      this.step = model == null ? 0 : model.getPixelStride();
      this.offset = model == null ? 0 : model.getBandOffsets()[0];
    }

    static PixelReader of(
        Raster raster,
        IndexColorModel palette,
        boolean alpha,
        byte[] bytes,
        PixelInterleavedSampleModel model) {
      int bits = raster.getSampleModel().getSampleSize(0);
      if (bits > 8) {
        return new ByColourModel(raster, palette, alpha);
      }
      int[] colours = new int[1 << bits];
      for (int i = 0; i < colours.length; i++) {
        colours[i] = overWhite(palette.getRGB(i), alpha);
      }
      return new Palette(raster, colours, bytes, model);
    }

    @Override
    public void read(int y, int[] xs, int[] rgb) {
      if (bytes != null) {
        int base = y * stride + offset;
        for (int i = 0; i < xs.length; i++) {
          rgb[i] = colours[bytes[base + xs[i] * step] & 0xff];
        }
      } else {
        for (int i = 0; i < xs.length; i++) {
          rgb[i] = colours[raster.getSample(xs[i], y, 0)];
        }
      }
    }
  }

  /**
   * One or two bytes per pixel through a colour model (grey, grey with alpha): the model's answer
   * for each distinct pixel is asked once and kept, since it depends on the pixel's bytes alone.
   */
  private static final class SmallPixels implements PixelReader {
    private static final int UNKNOWN = -1;
    private final byte[] src;
    private final int stride;
    private final int step;
    private final int[] offsets;
    private final ColorModel model;
    private final boolean alpha;
    private final byte[] pixel;
    private final int[] known;

    SmallPixels(byte[] src, PixelInterleavedSampleModel sampleModel, ColorModel model, boolean a) {
      this.src = src;
      this.stride = sampleModel.getScanlineStride();
      this.step = sampleModel.getPixelStride();
      this.offsets = sampleModel.getBandOffsets();
      this.model = model;
      this.alpha = a;
      this.pixel = new byte[offsets.length];
      this.known = new int[1 << (8 * offsets.length)];
      Arrays.fill(known, UNKNOWN);
    }

    @Override
    public void read(int y, int[] xs, int[] rgb) {
      int base = y * stride;
      boolean two = offsets.length == 2;
      for (int i = 0; i < xs.length; i++) {
        int p = base + xs[i] * step;
        int key = (src[p + offsets[0]] & 0xff) | (two ? (src[p + offsets[1]] & 0xff) << 8 : 0);
        int c = known[key];
        if (c == UNKNOWN) {
          pixel[0] = (byte) key;
          if (two) {
            pixel[1] = (byte) (key >> 8);
          }
          c = overWhite(model.getRGB(pixel), alpha);
          known[key] = c;
        }
        rgb[i] = c;
      }
    }
  }

  /** Any other layout: the colour model's conversion of each pixel. */
  private static final class ByColourModel implements PixelReader {
    private final Raster raster;
    private final ColorModel model;
    private final boolean alpha;
    private Object elements;

    ByColourModel(Raster raster, ColorModel model, boolean alpha) {
      this.raster = raster;
      this.model = model;
      this.alpha = alpha;
    }

    @Override
    public void read(int y, int[] xs, int[] rgb) {
      for (int i = 0; i < xs.length; i++) {
        elements = raster.getDataElements(xs[i], y, elements);
        rgb[i] = overWhite(model.getRGB(elements), alpha);
      }
    }
  }
}
