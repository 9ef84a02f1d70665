package dev.corpusforge.annotators.region;

import dev.corpusforge.scorers.ImagePreprocess;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.Arrays;

/** Image and mask plumbing shared by the annotators: work copies, mask resizing, cut-outs. */
public final class MaskImages {
  private MaskImages() {}

  /** The image with its longer side at most {@code maxSide} (area-averaged), as RGB. */
  public static BufferedImage workCopy(BufferedImage rgb, int maxSide) {
    double scale = Math.min(1.0, (double) maxSide / Math.max(rgb.getWidth(), rgb.getHeight()));
    int w = Math.max(1, (int) Math.round(rgb.getWidth() * scale));
    int h = Math.max(1, (int) Math.round(rgb.getHeight() * scale));
    if (scale == 1.0 && rgb.getType() == BufferedImage.TYPE_INT_RGB) {
      return rgb;
    }
    return resize(rgb, w, h);
  }

  /**
   * The image at {@code w} × {@code h} as RGB: halved (bilinear) while at least four times too
   * large, then one bicubic step, so large reductions do not alias.
   */
  public static BufferedImage resize(BufferedImage rgb, int w, int h) {
    BufferedImage s = rgb;
    while (s.getWidth() >= 4 * w && s.getHeight() >= 4 * h) {
      s = draw(s, s.getWidth() / 2, s.getHeight() / 2, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    }
    return draw(s, w, h, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
  }

  /** Nearest-neighbour resize of a mask (pixel centres sampled). */
  public static BinaryMask resize(BinaryMask m, int width, int height) {
    if (m.width() == width && m.height() == height) {
      return m;
    }
    BinaryMask out = new BinaryMask(width, height);
    for (int y = 0; y < height; y++) {
      int sy = Math.min(m.height() - 1, (int) ((y + 0.5) * m.height() / height));
      for (int x = 0; x < width; x++) {
        int sx = Math.min(m.width() - 1, (int) ((x + 0.5) * m.width() / width));
        if (m.get(sx, sy)) {
          out.set(x, y, true);
        }
      }
    }
    return out;
  }

  /**
   * The masked pixels over white, cut to the mask's box plus {@code margin} of its size on each
   * side and padded with white to a square, so an encoder that centre-crops sees all of it.
   *
   * <p>Pixels move a row at a time between the images' int arrays: one {@code getRGB} and {@code
   * setRGB} per pixel went through the colour models and were half of region-entity's CPU.
   */
  public static BufferedImage cutout(BufferedImage rgb, BinaryMask m, double margin) {
    int[] box = m.bbox();
    int pad = (int) Math.round(Math.max(box[2], box[3]) * margin);
    int side = Math.max(box[2], box[3]) + 2 * pad;
    int ox = box[0] + box[2] / 2 - side / 2;
    int oy = box[1] + box[3] / 2 - side / 2;
    BufferedImage out = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
    int[] pixels = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
    Arrays.fill(pixels, WHITE);
    // the part of the square over both the mask and the image
    int x0 = Math.max(0, ox);
    int y0 = Math.max(0, oy);
    int x1 = Math.min(Math.min(m.width(), rgb.getWidth()), ox + side);
    int y1 = Math.min(Math.min(m.height(), rgb.getHeight()), oy + side);
    if (x1 <= x0) {
      return out;
    }
    int[] row = new int[x1 - x0];
    for (int sy = y0; sy < y1; sy++) {
      ImagePreprocess.rgbRow(rgb, x0, sy, row);
      int at = (sy - oy) * side - ox;
      for (int sx = x0; sx < x1; sx++) {
        if (m.get(sx, sy)) {
          pixels[at + sx] = row[sx - x0];
        }
      }
    }
    return out;
  }

  private static final int WHITE = 0xffffff;

  static BufferedImage draw(BufferedImage src, int w, int h, Object interpolation) {
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, w, h);
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, interpolation);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.drawImage(src, 0, 0, w, h, null);
    } finally {
      g.dispose();
    }
    return out;
  }
}
