package dev.corpusforge.annotators.region;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Cut-outs read a row at a time give the pixels a pixel-by-pixel reading gives. */
class MaskImagesTest {
  /** The cut-out as one {@code getRGB} and {@code setRGB} per pixel makes it. */
  private static BufferedImage pixelByPixel(BufferedImage rgb, BinaryMask m, double margin) {
    int[] box = m.bbox();
    int pad = (int) Math.round(Math.max(box[2], box[3]) * margin);
    int side = Math.max(box[2], box[3]) + 2 * pad;
    int ox = box[0] + box[2] / 2 - side / 2;
    int oy = box[1] + box[3] / 2 - side / 2;
    BufferedImage out = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        int sx = ox + x;
        int sy = oy + y;
        boolean in = sx >= 0 && sy >= 0 && sx < m.width() && sy < m.height() && m.get(sx, sy);
        out.setRGB(x, y, in ? rgb.getRGB(sx, sy) : 0xffffff);
      }
    }
    return out;
  }

  /** The ints the image holds, as the encoders' preprocessing may read them. */
  private static int[] raw(BufferedImage img) {
    return ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
  }

  @Test
  void rowsCutOutAsPixelsDoForEveryImageTypeAndMaskPlace() {
    Random random = new Random(7);
    int cases = 0;
    for (int type :
        new int[] {
          BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_INT_ARGB, BufferedImage.TYPE_3BYTE_BGR
        }) {
      BufferedImage image = new BufferedImage(61, 47, type);
      for (int y = 0; y < 47; y++) {
        for (int x = 0; x < 61; x++) {
          image.setRGB(x, y, random.nextInt());
        }
      }
      // masks in the middle and against each edge, so the padded square leaves the image
      int[][] boxes = {{20, 15, 10, 8}, {0, 0, 12, 30}, {50, 30, 11, 17}, {0, 40, 61, 7}};
      for (int[] b : boxes) {
        BinaryMask mask = new BinaryMask(61, 47);
        for (int y = b[1]; y < b[1] + b[3]; y++) {
          for (int x = b[0]; x < b[0] + b[2]; x++) {
            mask.set(x, y, random.nextInt(3) > 0);
          }
        }
        mask.set(b[0], b[1], true);
        mask.set(b[0] + b[2] - 1, b[1] + b[3] - 1, true);
        BufferedImage expected = pixelByPixel(image, mask, 0.3);
        BufferedImage cut = MaskImages.cutout(image, mask, 0.3);
        assertEquals(BufferedImage.TYPE_INT_RGB, cut.getType());
        assertEquals(expected.getWidth(), cut.getWidth());
        assertArrayEquals(
            raw(expected), raw(cut), "type " + type + ", box at " + b[0] + "," + b[1]);
        cases++;
      }
    }
    assertEquals(12, cases);
  }
}
