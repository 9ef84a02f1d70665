package dev.corpusforge.annotators.som;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.InputStream;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Drawing a known mask set, compared with a committed expected image. */
class MarkRendererTest {
  /** A 240×160 gradient with three overlapping and one separate rectangle, laid out as SoM does. */
  static List<MarkLayout.Mark> knownMarks() {
    return MarkLayout.layout(
        List.of(
            MarkLayoutTest.box(240, 160, 10, 10, 150, 120),
            MarkLayoutTest.box(240, 160, 40, 30, 50, 40),
            MarkLayoutTest.box(240, 160, 170, 20, 60, 60),
            MarkLayoutTest.box(240, 160, 175, 100, 50, 50)),
        MarkLayout.DEFAULT_MIN_PIXELS);
  }

  static BufferedImage background() {
    BufferedImage img = new BufferedImage(240, 160, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setPaint(
        new java.awt.GradientPaint(
            0, 0, new Color(0x60, 0x90, 0xc0), 240, 160, new Color(0xe0, 0xc0, 0x80)));
    g.fillRect(0, 0, 240, 160);
    g.dispose();
    return img;
  }

  @Test
  void numbersOnlyMatchTheExpectedImage() throws Exception {
    compare(
        MarkRenderer.render(background(), knownMarks(), MarkStyle.numbers()),
        "expected-numbers.png");
  }

  @Test
  void outlineFillAndBoxModesMatchTheExpectedImage() throws Exception {
    MarkStyle all =
        new MarkStyle(Set.of(MarkStyle.OUTLINE, MarkStyle.FILL, MarkStyle.BOX), 18f, 0.8f, 0.3f);
    compare(MarkRenderer.render(background(), knownMarks(), all), "expected-all-modes.png");
  }

  @Test
  void eachNumberSitsOnADarkBoxAtItsTextPoint() {
    BufferedImage plain = background();
    BufferedImage tagged = MarkRenderer.render(plain, knownMarks(), MarkStyle.numbers());
    for (MarkLayout.Mark m : knownMarks()) {
      // just below the text point, above the digit (the line's ascent is taller than a digit):
      // the black box at alpha 0.8 darkens the background to a fifth
      int x = m.textX();
      int y = m.textY() + 1;
      int before = plain.getRGB(x, y) & 0xff;
      int after = tagged.getRGB(x, y) & 0xff;
      assertTrue(after < before * 0.3, "mark " + m.id() + ": " + before + " → " + after);
    }
    int far = tagged.getRGB(120, 150);
    assertEquals(plain.getRGB(120, 150), far, "pixels away from every number are untouched");
  }

  /**
   * Mean absolute difference under 1.5 levels and at most 0.5 % of pixels off by more than 48: font
   * rasterisers may differ by a few levels.
   */
  private static void compare(BufferedImage actual, String expectedName) throws Exception {
    File dump = new File("target/som-actual-" + expectedName);
    dump.getParentFile().mkdirs();
    ImageIO.write(actual, "png", dump);
    BufferedImage expected;
    try (InputStream in = MarkRendererTest.class.getResourceAsStream("/som/" + expectedName)) {
      assertTrue(
          in != null,
          "expected image " + expectedName + " is committed (the actual one is in " + dump + ")");
      expected = ImageIO.read(in);
    }
    assertEquals(expected.getWidth(), actual.getWidth());
    assertEquals(expected.getHeight(), actual.getHeight());
    long sum = 0;
    long off = 0;
    long n = 0;
    for (int y = 0; y < actual.getHeight(); y++) {
      for (int x = 0; x < actual.getWidth(); x++) {
        int a = actual.getRGB(x, y);
        int e = expected.getRGB(x, y);
        int worst = 0;
        for (int shift = 0; shift <= 16; shift += 8) {
          int d = Math.abs(((a >> shift) & 0xff) - ((e >> shift) & 0xff));
          sum += d;
          n++;
          worst = Math.max(worst, d);
        }
        if (worst > 48) {
          off++;
        }
      }
    }
    double mean = (double) sum / n;
    double offShare = (double) off / ((long) actual.getWidth() * actual.getHeight());
    assertTrue(
        mean < 1.5 && offShare <= 0.005,
        expectedName
            + ": mean difference "
            + mean
            + ", share off "
            + offShare
            + " (actual in "
            + dump
            + ")");
  }
}
