package dev.corpusforge.scorers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImagePreprocessTest {
  static final List<Double> CLIP_MEAN = List.of(0.48145466, 0.4578275, 0.40821073);
  static final List<Double> CLIP_STD = List.of(0.26862954, 0.26130258, 0.27577711);

  @Test
  void normalisesPerChannelInPlanarOrder() {
    BufferedImage red = new BufferedImage(300, 200, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = red.createGraphics();
    g.setColor(new Color(255, 0, 128));
    g.fillRect(0, 0, 300, 200);
    g.dispose();
    float[] t = ImagePreprocess.toTensor(red, 32, CLIP_MEAN, CLIP_STD);
    assertEquals(3 * 32 * 32, t.length);
    assertEquals((1 - 0.48145466) / 0.26862954, t[5], 1e-4);
    assertEquals((0 - 0.4578275) / 0.26130258, t[32 * 32 + 5], 1e-4);
    assertEquals((128 / 255.0 - 0.40821073) / 0.27577711, t[2 * 32 * 32 + 5], 1e-4);
  }

  @Test
  void readsEveryImageTypeAsOnePixelAtATimeDoes() {
    java.util.Random random = new java.util.Random(11);
    int checked = 0;
    for (int type :
        new int[] {
          BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_INT_ARGB, BufferedImage.TYPE_3BYTE_BGR
        }) {
      BufferedImage whole = new BufferedImage(40, 30, type);
      for (int y = 0; y < 30; y++) {
        for (int x = 0; x < 40; x++) {
          whole.setRGB(x, y, random.nextInt());
        }
      }
      // the whole image, and a part of it whose raster starts inside its parent's
      for (BufferedImage img : List.of(whole, whole.getSubimage(7, 5, 23, 19))) {
        float[] t = ImagePreprocess.channelsFirst(img, CLIP_MEAN, CLIP_STD);
        int plane = img.getWidth() * img.getHeight();
        for (int y = 0; y < img.getHeight(); y++) {
          for (int x = 0; x < img.getWidth(); x++) {
            int p = img.getRGB(x, y);
            int i = y * img.getWidth() + x;
            float r =
                (((p >> 16) & 0xff) / 255f - CLIP_MEAN.get(0).floatValue())
                    / CLIP_STD.get(0).floatValue();
            float b =
                ((p & 0xff) / 255f - CLIP_MEAN.get(2).floatValue()) / CLIP_STD.get(2).floatValue();
            assertEquals(r, t[i], 0f, "type " + type + " at " + x + "," + y);
            assertEquals(b, t[2 * plane + i], 0f, "type " + type + " at " + x + "," + y);
            checked++;
          }
        }
      }
    }
    assertEquals(3 * (40 * 30 + 23 * 19), checked);
  }

  @Test
  void cropsTheCentreOfTheLongerSide() {
    // left third black, middle third white, right third black: the centre crop is all white
    BufferedImage bands = new BufferedImage(300, 100, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = bands.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(100, 0, 100, 100);
    g.dispose();
    BufferedImage square = ImagePreprocess.resizeAndCrop(bands, 50);
    assertEquals(50, square.getWidth());
    assertEquals(0xffffff, square.getRGB(25, 25) & 0xffffff);
    assertEquals(0xffffff, square.getRGB(3, 25) & 0xffffff);
    assertEquals(0xffffff, square.getRGB(46, 25) & 0xffffff);
  }

  @Test
  void averagesFineDetailWhenShrinkingALot() {
    // a one-pixel checkerboard shrunk 20×: every output pixel is close to mid grey, not aliased to
    // black or white
    BufferedImage checker = new BufferedImage(640, 640, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 640; y++) {
      for (int x = 0; x < 640; x++) {
        checker.setRGB(x, y, ((x + y) & 1) == 0 ? 0xffffff : 0);
      }
    }
    BufferedImage small = ImagePreprocess.resizeAndCrop(checker, 32);
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 32; x++) {
        int grey = small.getRGB(x, y) & 0xff;
        assertEquals(128, grey, 20, "pixel " + x + "," + y);
      }
    }
  }
}
