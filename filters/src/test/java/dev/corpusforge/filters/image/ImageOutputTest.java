package dev.corpusforge.filters.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class ImageOutputTest {
  private static BufferedImage image(int w, int h) {
    return new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
  }

  @Test
  void maxSideShrinksTheLongerSideAndNeverEnlarges() throws Exception {
    ImageOutput out = new ImageOutput("max-side", 256, "jpeg", 90);
    BufferedImage shrunk = out.resize(image(800, 400));
    assertEquals(256, shrunk.getWidth());
    assertEquals(128, shrunk.getHeight());
    assertEquals(100, out.resize(image(100, 50)).getWidth());
  }

  @Test
  void centerCropGivesASquare() throws Exception {
    BufferedImage cropped = new ImageOutput("center-crop", 224, "png", 90).resize(image(640, 480));
    assertEquals(224, cropped.getWidth());
    assertEquals(224, cropped.getHeight());
  }

  @Test
  void encodesAtTheRequestedQualityAndDecodesBack() throws Exception {
    BufferedImage src = ImageCodec.decodeRgb(ImageCodecTest.bytes("bitmap.bmp"));
    byte[] high = new ImageOutput("keep", 0, "jpeg", 95).encode(src);
    byte[] low = new ImageOutput("keep", 0, "jpeg", 30).encode(src);
    assertEquals(src.getWidth(), ImageCodec.decodeRgb(high).getWidth());
    org.junit.jupiter.api.Assertions.assertTrue(low.length < high.length);
  }

  @Test
  void inconsistentSettingsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new ImageOutput("max-side", 0, "jpeg", 90));
    assertThrows(
        IllegalArgumentException.class, () -> new ImageOutput("center-crop", 224, "original", 90));
    assertThrows(IllegalArgumentException.class, () -> new ImageOutput("keep", 0, "tiff", 90));
    assertThrows(IllegalArgumentException.class, () -> new ImageOutput("keep", 0, "jpeg", 0));
  }
}
