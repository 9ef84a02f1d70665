package dev.corpusforge.annotators.som;

import dev.corpusforge.annotators.region.BinaryMask;
import java.awt.AlphaComposite;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontFormatException;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Draws Set-of-Mark tags onto an image, as SoM's visualizer does with matplotlib: each mark's
 * number centred horizontally on its text point ({@link MarkLayout.Mark#textX()}, {@link
 * MarkLayout.Mark#textY()}) with its top there (matplotlib's {@code verticalalignment="top"}),
 * white, on a black box at alpha 0.8 padded by one pixel. Optional outlines, fills and boxes are
 * drawn first, numbers last, in id order. The font is DejaVu Sans (matplotlib's default), shipped
 * in this jar, so every machine draws the same glyphs.
 */
public final class MarkRenderer {
  private static final Font BASE_FONT = loadFont();

  /** Distinct colours for outlines, fills and boxes, by mark id. */
  private static final int[] PALETTE = {
    0xe6194b, 0x3cb44b, 0xffe119, 0x4363d8, 0xf58231, 0x911eb4, 0x46f0f0, 0xf032e6, 0xbcf60c,
    0xfabebe, 0x008080, 0xe6beff, 0x9a6324, 0xfffac8, 0x800000, 0xaaffc3, 0x808000, 0xffd8b1,
    0x000075, 0x808080
  };

  private static final int PAD = 1;

  private MarkRenderer() {}

  private static Font loadFont() {
    try (InputStream in = MarkRenderer.class.getResourceAsStream("DejaVuSans.ttf")) {
      if (in == null) {
        throw new IllegalStateException("DejaVuSans.ttf is missing from the annotators jar");
      }
      return Font.createFont(Font.TRUETYPE_FONT, in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (FontFormatException e) {
      throw new IllegalStateException("DejaVuSans.ttf is not a TrueType font", e);
    }
  }

  /** A tagged copy of {@code rgb}; the marks' masks are in its pixels. */
  public static BufferedImage render(
      BufferedImage rgb, List<MarkLayout.Mark> marks, MarkStyle style) {
    BufferedImage out =
        new BufferedImage(rgb.getWidth(), rgb.getHeight(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.drawImage(rgb, 0, 0, null);
      for (MarkLayout.Mark m : marks) {
        Color c = colour(m.id());
        if (style.has(MarkStyle.FILL)) {
          paintMask(out, m.mask(), c, style.fillAlpha(), false);
        }
        if (style.has(MarkStyle.OUTLINE)) {
          paintMask(out, m.mask(), c, 1f, true);
        }
        if (style.has(MarkStyle.BOX)) {
          int[] b = m.mask().bbox();
          g.setColor(c);
          g.drawRect(b[0], b[1], b[2] - 1, b[3] - 1);
        }
      }
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setRenderingHint(
          RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.setFont(BASE_FONT.deriveFont(style.fontSize()));
      FontMetrics fm = g.getFontMetrics();
      for (MarkLayout.Mark m : marks) {
        String text = Integer.toString(m.id());
        int w = fm.stringWidth(text);
        int h = fm.getAscent() + fm.getDescent();
        int left = m.textX() - w / 2;
        int top = m.textY();
        g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, style.boxAlpha()));
        g.setColor(Color.BLACK);
        g.fillRect(left - PAD, top - PAD, w + 2 * PAD, h + 2 * PAD);
        g.setComposite(AlphaComposite.SrcOver);
        g.setColor(Color.WHITE);
        g.drawString(text, left, top + fm.getAscent());
      }
    } finally {
      g.dispose();
    }
    return out;
  }

  /** The colour of a mark's outline, fill and box. */
  public static Color colour(int id) {
    return new Color(PALETTE[(id - 1) % PALETTE.length]);
  }

  private static void paintMask(
      BufferedImage img, BinaryMask m, Color c, float alpha, boolean edgeOnly) {
    int w = img.getWidth();
    int h = img.getHeight();
    for (int i = m.nextSet(0); i >= 0; i = m.nextSet(i + 1)) {
      int x = i % w;
      int y = i / w;
      if (edgeOnly
          && x > 0
          && y > 0
          && x < w - 1
          && y < h - 1
          && m.get(x - 1, y)
          && m.get(x + 1, y)
          && m.get(x, y - 1)
          && m.get(x, y + 1)) {
        continue;
      }
      int v = img.getRGB(x, y);
      int r = Math.round(((v >> 16) & 0xff) * (1 - alpha) + c.getRed() * alpha);
      int gr = Math.round(((v >> 8) & 0xff) * (1 - alpha) + c.getGreen() * alpha);
      int b = Math.round((v & 0xff) * (1 - alpha) + c.getBlue() * alpha);
      img.setRGB(x, y, (r << 16) | (gr << 8) | b);
    }
  }
}
