package dev.corpusforge.annotators.region;

import boofcv.abst.segmentation.ImageSuperpixels;
import boofcv.concurrency.BoofConcurrency;
import boofcv.factory.segmentation.ConfigFh04;
import boofcv.factory.segmentation.FactoryImageSegmentation;
import boofcv.struct.image.GrayF32;
import boofcv.struct.image.GrayS32;
import boofcv.struct.image.ImageType;
import boofcv.struct.image.Planar;
import java.awt.image.BufferedImage;

/**
 * Over-segmentation from BoofCV: Felzenszwalb–Huttenlocher graph segments, colour-coherent regions
 * of any shape that region proposals are grouped from. BoofCV's own threads are turned off so the
 * labels never depend on scheduling.
 */
public final class Superpixels {
  static {
    BoofConcurrency.USE_CONCURRENT = false;
  }

  private Superpixels() {}

  /** A label per pixel (row-major), {@code 0 … count − 1}. */
  public record Labels(int width, int height, int[] label, int count) {
    public int at(int x, int y) {
      return label[y * width + x];
    }
  }

  /**
   * Felzenszwalb–Huttenlocher: {@code k} sets the scale (larger, larger segments), {@code minSize}
   * the smallest segment in pixels.
   */
  public static Labels fh04(BufferedImage rgb, float k, int minSize) {
    return run(
        FactoryImageSegmentation.fh04(new ConfigFh04(k, minSize), ImageType.pl(3, GrayF32.class)),
        rgb);
  }

  private static Labels run(ImageSuperpixels<Planar<GrayF32>> algorithm, BufferedImage rgb) {
    Planar<GrayF32> planar = planar(rgb);
    GrayS32 out = new GrayS32(rgb.getWidth(), rgb.getHeight());
    algorithm.segment(planar, out);
    int[] label = new int[rgb.getWidth() * rgb.getHeight()];
    for (int y = 0; y < rgb.getHeight(); y++) {
      for (int x = 0; x < rgb.getWidth(); x++) {
        label[y * rgb.getWidth() + x] = out.get(x, y);
      }
    }
    return new Labels(rgb.getWidth(), rgb.getHeight(), label, algorithm.getTotalSuperpixels());
  }

  /** RGB bands as floats 0–255. */
  static Planar<GrayF32> planar(BufferedImage rgb) {
    Planar<GrayF32> p = new Planar<>(GrayF32.class, rgb.getWidth(), rgb.getHeight(), 3);
    for (int y = 0; y < rgb.getHeight(); y++) {
      for (int x = 0; x < rgb.getWidth(); x++) {
        int v = rgb.getRGB(x, y);
        p.getBand(0).set(x, y, (v >> 16) & 0xff);
        p.getBand(1).set(x, y, (v >> 8) & 0xff);
        p.getBand(2).set(x, y, v & 0xff);
      }
    }
    return p;
  }
}
