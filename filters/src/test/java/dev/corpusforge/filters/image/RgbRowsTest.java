package dev.corpusforge.filters.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The pixel reader gives, for every layout, Java2D's own colour of each pixel over white. */
class RgbRowsTest {
  @Test
  void everyDecodedLayoutReadsAsGetRgbOverWhite() throws Exception {
    Set<String> layouts = new HashSet<>();
    for (String name :
        new String[] {
          "palette.png",
          "animated.gif",
          "bitmap.bmp",
          "rgb16.png",
          "cmyk.jpg",
          "caption-missing.png"
        }) {
      BufferedImage decoded = ImageCodec.decode(ImageCodecTest.bytes(name));
      layouts.add(decoded.getColorModel().getClass().getSimpleName() + "/" + decoded.getType());
      assertReadsAsGetRgbOverWhite(decoded, name);
    }
    // indexed, packed int ARGB, 16-bit RGBA (a custom layout), 8-bit ABGR and BGR (the CMYK JPEG)
    assertEquals(5, layouts.size(), layouts.toString());
  }

  @Test
  void translucentPalettesAndGreyWithAlphaReadAsGetRgbOverWhite() {
    BufferedImage indexed = paletted(8, BufferedImage.TYPE_BYTE_INDEXED);
    BufferedImage packed = paletted(2, BufferedImage.TYPE_BYTE_BINARY);
    ComponentColorModel greyAlpha =
        new ComponentColorModel(
            ColorSpace.getInstance(ColorSpace.CS_GRAY),
            true,
            false,
            Transparency.TRANSLUCENT,
            DataBuffer.TYPE_BYTE);
    BufferedImage grey =
        new BufferedImage(greyAlpha, greyAlpha.createCompatibleWritableRaster(37, 11), false, null);
    for (int y = 0; y < 11; y++) {
      for (int x = 0; x < 37; x++) {
        indexed.getRaster().setSample(x, y, 0, (x + y) % 4);
        packed.getRaster().setSample(x, y, 0, (x * 3 + y) % 4);
        grey.getRaster().setSample(x, y, 0, (x * 7 + y * 13) % 256);
        grey.getRaster().setSample(x, y, 1, (x * 11 + y * 5) % 256);
      }
    }
    assertReadsAsGetRgbOverWhite(indexed, "indexed");
    assertReadsAsGetRgbOverWhite(packed, "2-bit packed");
    assertReadsAsGetRgbOverWhite(grey, "grey with alpha");
  }

  /** A 37×11 image of {@code type} over a 4-colour palette with three translucent entries. */
  private static BufferedImage paletted(int bits, int type) {
    byte[] red = {(byte) 255, 0, 0, (byte) 200};
    byte[] green = {0, (byte) 255, 0, 30};
    byte[] blue = {0, 0, (byte) 255, 90};
    byte[] alpha = {(byte) 255, (byte) 128, 0, (byte) 200};
    return new BufferedImage(37, 11, type, new IndexColorModel(bits, 4, red, green, blue, alpha));
  }

  private static void assertReadsAsGetRgbOverWhite(BufferedImage image, String name) {
    boolean alpha = image.getColorModel().hasAlpha();
    RgbRows.PixelReader reader = RgbRows.reader(image);
    int composited = 0;
    for (int y = image.getHeight() - 1; y >= 0; y--) {
      for (int x = image.getWidth() - 1; x >= 0; x--) {
        int argb = image.getRGB(x, y);
        int a = alpha ? argb >>> 24 : 255;
        int expected =
            a == 255
                ? argb & 0xffffff
                : RgbRows.over((argb >> 16) & 0xff, (argb >> 8) & 0xff, argb & 0xff, a);
        composited += expected != (argb & 0xffffff) ? 1 : 0;
        assertEquals(expected, reader.rgb(x, y), name + " at " + x + "," + y);
      }
    }
    if (!name.contains(".")) {
      assertTrue(composited > 0, name + ": compositing over white changes some pixels");
    }
  }
}
