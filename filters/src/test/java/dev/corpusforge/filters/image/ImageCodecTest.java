package dev.corpusforge.filters.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corpusforge.core.RuleViolation;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Decoding of real, awkward files from testdata/hostile (made from openclipart images). */
class ImageCodecTest {
  static final Path HOSTILE = Path.of("..", "testdata", "hostile");

  static byte[] bytes(String name) throws Exception {
    return Files.readAllBytes(HOSTILE.resolve(name));
  }

  private static BufferedImage decode(String name) throws Exception {
    byte[] b = bytes(name);
    ImageHeader header = ImageCodec.probe(b);
    BufferedImage rgb = ImageCodec.decodeRgb(b);
    assertEquals(header.width(), rgb.getWidth());
    assertEquals(header.height(), rgb.getHeight());
    assertEquals(BufferedImage.TYPE_INT_RGB, rgb.getType());
    return rgb;
  }

  @Test
  void decodesCmykJpegToPlausibleColours() throws Exception {
    BufferedImage rgb = decode("cmyk.jpg");
    assertEquals("jpeg", ImageCodec.probe(bytes("cmyk.jpg")).format());
    // the source is drawn on white: a CMYK decode gone wrong turns the corners dark or inverted
    int corner = rgb.getRGB(0, 0) & 0xffffff;
    assertTrue(
        ((corner >> 16) & 0xff) > 200 && ((corner >> 8) & 0xff) > 200 && (corner & 0xff) > 200,
        Integer.toHexString(corner));
  }

  @Test
  void decodesSixteenBitPalettePngWebpBmpAndGif() throws Exception {
    assertEquals(212, decode("rgb16.png").getWidth());
    assertEquals(300, decode("palette.png").getWidth());
    assertEquals("webp", ImageCodec.probe(bytes("picture.webp")).format());
    decode("picture.webp");
    assertEquals("bmp", ImageCodec.probe(bytes("bitmap.bmp")).format());
    decode("bitmap.bmp");
  }

  @Test
  void animatedGifGivesItsFirstFrame() throws Exception {
    BufferedImage first = decode("animated.gif");
    // frame 1 is the drawing on white, frame 2 its negative: the corner must be white
    assertEquals(0xffffff, first.getRGB(0, 0) & 0xffffff);
  }

  @Test
  void transparentPixelsBecomeWhite() throws Exception {
    BufferedImage rgb = decode("palette.png");
    assertEquals(0xffffff, rgb.getRGB(0, 0) & 0xffffff);
  }

  @Test
  void truncatedJpegIsRejectedAsTruncated() throws Exception {
    byte[] b = bytes("truncated.jpg");
    ImageCodec.probe(b);
    RuleViolation v = assertThrows(RuleViolation.class, () -> ImageCodec.decodeRgb(b));
    assertEquals(ImageReasons.IMAGE_TRUNCATED, v.reason());
  }

  @Test
  void htmlSavedAsJpegIsAnUnknownFormat() {
    RuleViolation v =
        assertThrows(RuleViolation.class, () -> ImageCodec.probe(bytes("html-page.jpg")));
    assertEquals(ImageReasons.IMAGE_UNKNOWN_FORMAT, v.reason());
    assertTrue(v.detail().contains("<!doctype html>"), v.detail());
  }

  @Test
  void zeroBytesIsEmpty() {
    RuleViolation v = assertThrows(RuleViolation.class, () -> ImageCodec.probe(new byte[0]));
    assertEquals(ImageReasons.IMAGE_EMPTY, v.reason());
  }

  @Test
  void headerOfABombIsReadWithoutDecoding() throws Exception {
    ImageHeader header = ImageCodec.probe(bytes("bomb-header.png"));
    assertEquals(100_000, header.width());
    assertEquals(100_000, header.height());
    assertEquals(
        ImageReasons.IMAGE_TOO_MANY_PIXELS, ImageRules.defaults().checkHeader(header).reason());
  }

  @Test
  void real168MegapixelPngIsStoppedByThePixelCap() throws Exception {
    ImageHeader header = ImageCodec.probe(bytes("huge-168mp.png"));
    assertTrue(header.pixels() > 160_000_000L, String.valueOf(header.pixels()));
    assertEquals(
        ImageReasons.IMAGE_TOO_MANY_PIXELS, ImageRules.defaults().checkHeader(header).reason());
  }

  @Test
  void fastRgbConversionMatchesJava2d() throws Exception {
    for (String name : new String[] {"palette.png", "rgb16.png", "cmyk.jpg", "bitmap.bmp"}) {
      BufferedImage decoded =
          javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(bytes(name)));
      BufferedImage abgr =
          new BufferedImage(decoded.getWidth(), decoded.getHeight(), BufferedImage.TYPE_4BYTE_ABGR);
      java.awt.Graphics2D g = abgr.createGraphics();
      g.drawImage(decoded, 0, 0, null);
      g.dispose();
      // half-transparent stripe to exercise compositing
      for (int x = 0; x < abgr.getWidth(); x++) {
        abgr.setRGB(x, 5, (0x80 << 24) | (abgr.getRGB(x, 5) & 0xffffff));
      }
      BufferedImage fast = ImageCodec.toRgb(abgr);
      BufferedImage reference =
          new BufferedImage(abgr.getWidth(), abgr.getHeight(), BufferedImage.TYPE_INT_RGB);
      java.awt.Graphics2D r = reference.createGraphics();
      r.setColor(java.awt.Color.WHITE);
      r.fillRect(0, 0, abgr.getWidth(), abgr.getHeight());
      r.drawImage(abgr, 0, 0, null);
      r.dispose();
      for (int y = 0; y < abgr.getHeight(); y++) {
        for (int x = 0; x < abgr.getWidth(); x++) {
          int a = fast.getRGB(x, y);
          int b = reference.getRGB(x, y);
          for (int shift = 0; shift <= 16; shift += 8) {
            assertTrue(
                Math.abs(((a >> shift) & 0xff) - ((b >> shift) & 0xff)) <= 1,
                name + " at " + x + "," + y);
          }
        }
      }
    }
  }
}
