package dev.corpusforge.filters.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import net.coobird.thumbnailator.Thumbnails;
import org.junit.jupiter.api.Test;

class ImageHashesTest {
  private static BufferedImage image(String name) throws Exception {
    return ImageCodec.decodeRgb(ImageCodecTest.bytes(name));
  }

  @Test
  void equalPixelsGiveEqualHashesAcrossFiles() throws Exception {
    BufferedImage a = image("palette.png");
    byte[] png = ImageCodec.encode(a, "png", 1f);
    // the same pixels written as PNG twice decode to the same raster: same exact hash
    assertEquals(
        ImageHashes.pixelHash(ImageCodec.decode(png)),
        ImageHashes.pixelHash(ImageCodec.decode(ImageCodec.encode(a, "png", 1f))));
    assertNotEquals(ImageHashes.pixelHash(a), ImageHashes.pixelHash(image("rgb16.png")));
  }

  @Test
  void samePictureInAnotherLayoutIsAPerceptualTwin() throws Exception {
    BufferedImage indexed = ImageCodec.decode(ImageCodecTest.bytes("palette.png"));
    BufferedImage rgb = ImageCodec.toRgb(indexed);
    assertNotEquals(indexed.getType(), rgb.getType());
    assertEquals(0, ImageHashes.hamming(ImageHashes.phash(indexed), ImageHashes.phash(rgb)));
  }

  @Test
  void perceptualHashSurvivesResizeAndRecompression() throws Exception {
    BufferedImage a = image("bitmap.bmp");
    BufferedImage smaller = ImageCodec.toRgb(Thumbnails.of(a).scale(0.6).asBufferedImage());
    BufferedImage jpeg = ImageCodec.decodeRgb(ImageCodec.encode(smaller, "jpeg", 0.6f));
    int near = ImageHashes.hamming(ImageHashes.phash(a), ImageHashes.phash(jpeg));
    int far = ImageHashes.hamming(ImageHashes.phash(a), ImageHashes.phash(image("palette.png")));
    assertTrue(near <= 4, "resized copy is " + near + " bits away");
    assertTrue(far > 10, "a different drawing is only " + far + " bits away");
  }
}
