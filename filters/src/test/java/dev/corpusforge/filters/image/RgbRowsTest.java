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
    Set<String> readers = new HashSet<>();
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
      readers.add(assertReadsAsGetRgbOverWhite(decoded, name));
    }
    // indexed, packed int ARGB, 16-bit RGBA (a custom layout), 8-bit ABGR and BGR (the CMYK JPEG)
    assertEquals(5, layouts.size(), layouts.toString());
    assertEquals(Set.of("Palette", "ByColourModel", "ByteInterleaved"), readers);
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
    BufferedImage greyOnly = new BufferedImage(37, 11, BufferedImage.TYPE_BYTE_GRAY);
    BufferedImage intRgb = new BufferedImage(37, 11, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 11; y++) {
      for (int x = 0; x < 37; x++) {
        greyOnly.getRaster().setSample(x, y, 0, (x * 5 + y * 17) % 256);
        intRgb.setRGB(x, y, (x * 0x010305 + y * 0x070b0d) & 0xffffff);
      }
    }
    assertEquals("Palette", assertReadsAsGetRgbOverWhite(indexed, "indexed"));
    assertEquals("Palette", assertReadsAsGetRgbOverWhite(packed, "2-bit packed"));
    assertEquals("SmallPixels", assertReadsAsGetRgbOverWhite(grey, "grey with alpha"));
    assertEquals("SmallPixels", assertReadsAsGetRgbOverWhite(greyOnly, "grey"));
    assertEquals("IntRgb", assertReadsAsGetRgbOverWhite(intRgb, "int RGB"));
  }

  /** A 37×11 image of {@code type} over a 4-colour palette with three translucent entries. */
  private static BufferedImage paletted(int bits, int type) {
    byte[] red = {(byte) 255, 0, 0, (byte) 200};
    byte[] green = {0, (byte) 255, 0, 30};
    byte[] blue = {0, 0, (byte) 255, 90};
    byte[] alpha = {(byte) 255, (byte) 128, 0, (byte) 200};
    return new BufferedImage(37, 11, type, new IndexColorModel(bits, 4, red, green, blue, alpha));
  }

  /** Checks every pixel of {@code image}; returns the name of the reader its layout got. */
  private static String assertReadsAsGetRgbOverWhite(BufferedImage image, String name) {
    boolean alpha = image.getColorModel().hasAlpha();
    RgbRows.PixelReader reader = RgbRows.reader(image);
    int w = image.getWidth();
    // every column, right to left, and every other column: a row read at any columns
    int[] all = new int[w];
    int[] odd = new int[w / 2];
    for (int i = 0; i < w; i++) {
      all[i] = w - 1 - i;
    }
    for (int i = 0; i < odd.length; i++) {
      odd[i] = 2 * i + 1;
    }
    int[] rgb = new int[w];
    int[] oddRgb = new int[odd.length];
    int composited = 0;
    for (int y = image.getHeight() - 1; y >= 0; y--) {
      reader.read(y, all, rgb);
      reader.read(y, odd, oddRgb);
      for (int i = 0; i < w; i++) {
        int x = all[i];
        int argb = image.getRGB(x, y);
        int a = alpha ? argb >>> 24 : 255;
        int expected =
            a == 255
                ? argb & 0xffffff
                : RgbRows.over((argb >> 16) & 0xff, (argb >> 8) & 0xff, argb & 0xff, a);
        composited += expected != (argb & 0xffffff) ? 1 : 0;
        assertEquals(expected, rgb[i], name + " at " + x + "," + y);
        if (x % 2 == 1 && x / 2 < odd.length) {
          assertEquals(expected, oddRgb[x / 2], name + " at " + x + "," + y + " read alone");
        }
      }
    }
    if (!name.contains(".") && image.getColorModel().hasAlpha()) {
      assertTrue(composited > 0, name + ": compositing over white changes some pixels");
    }
    return reader.getClass().getSimpleName();
  }
}
