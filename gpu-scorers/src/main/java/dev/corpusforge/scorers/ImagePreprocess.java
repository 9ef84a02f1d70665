package dev.corpusforge.scorers;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * CLIP-style image preprocessing for a bundle's image encoder: scale the shorter side to {@code
 * size} (bicubic), crop the centre square, then per channel {@code (value / 255 − mean) / std},
 * laid out channel-first (R plane, G plane, B plane) as ONNX exports of CLIP and SigLIP expect.
 *
 * <p>Large reductions are done in halving steps before the final bicubic step: Java2D's bicubic
 * filter looks at 4×4 source pixels only, so one big step would alias where CLIP's reference
 * preprocessing (PIL, which widens its filter when it shrinks) averages.
 */
public final class ImagePreprocess {
  private ImagePreprocess() {}

  /**
   * A float tensor [3, size, size], flattened, from an RGB image ({@link
   * BufferedImage#TYPE_INT_RGB}).
   */
  public static float[] toTensor(BufferedImage rgb, int size, List<Double> mean, List<Double> std) {
    return channelsFirst(resizeAndCrop(rgb, size), mean, std);
  }

  /**
   * An image already at the model's input size as a float tensor [3, h, w], {@code (v/255 −
   * mean)/std}, flattened.
   */
  public static float[] channelsFirst(BufferedImage rgb, List<Double> mean, List<Double> std) {
    int w = rgb.getWidth();
    int h = rgb.getHeight();
    float[] out = new float[3 * w * h];
    int plane = w * h;
    float[] m = {mean.get(0).floatValue(), mean.get(1).floatValue(), mean.get(2).floatValue()};
    float[] s = {std.get(0).floatValue(), std.get(1).floatValue(), std.get(2).floatValue()};
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      rgbRow(rgb, 0, y, row);
      for (int x = 0; x < w; x++) {
        int p = row[x];
        int i = y * w + x;
        out[i] = (((p >> 16) & 0xff) / 255f - m[0]) / s[0];
        out[plane + i] = (((p >> 8) & 0xff) / 255f - m[1]) / s[1];
        out[2 * plane + i] = ((p & 0xff) / 255f - m[2]) / s[2];
      }
    }
    return out;
  }

  /**
   * {@code row.length} pixels of {@code img} from (x, y) as 0xRRGGBB, as an RGB image stores them:
   * a row at a time from the image's own ints, where one {@code getRGB} per pixel goes through the
   * colour model each time.
   */
  public static void rgbRow(BufferedImage img, int x, int y, int[] row) {
    if (img.getType() == BufferedImage.TYPE_INT_RGB) {
      img.getRaster().getDataElements(x, y, row.length, 1, row);
    } else {
      img.getRGB(x, y, row.length, 1, row, 0, row.length);
    }
    for (int i = 0; i < row.length; i++) {
      row[i] &= 0xffffff;
    }
  }

  /** Shorter side to {@code size} (bicubic), then the centre {@code size × size} square. */
  public static BufferedImage resizeAndCrop(BufferedImage rgb, int size) {
    while (Math.min(rgb.getWidth(), rgb.getHeight()) >= 4 * size) {
      rgb =
          scaled(
              rgb,
              rgb.getWidth() / 2,
              rgb.getHeight() / 2,
              RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    }
    int w = rgb.getWidth();
    int h = rgb.getHeight();
    double scale = (double) size / Math.min(w, h);
    int sw = Math.max(size, (int) Math.round(w * scale));
    int sh = Math.max(size, (int) Math.round(h * scale));
    BufferedImage out = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.drawImage(rgb, -(sw - size) / 2, -(sh - size) / 2, sw, sh, null);
    } finally {
      g.dispose();
    }
    return out;
  }

  private static BufferedImage scaled(
      BufferedImage rgb, int width, int height, Object interpolation) {
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, interpolation);
      g.drawImage(rgb, 0, 0, width, height, null);
    } finally {
      g.dispose();
    }
    return out;
  }
}
