package dev.corpusforge.annotators.som;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * How marks are drawn. Set-of-Mark's listing data draws only the numbers ({@code modes} empty):
 * font size 18, white on a black box at alpha 0.8. {@code outline}, {@code fill} and {@code box}
 * add each mark's border, a translucent fill, or its bounding box, in a colour per mark id.
 */
public record MarkStyle(Set<String> modes, float fontSize, float boxAlpha, float fillAlpha)
    implements Serializable {
  public static final String OUTLINE = "outline";
  public static final String FILL = "fill";
  public static final String BOX = "box";
  public static final List<String> MODES = List.of(OUTLINE, FILL, BOX);
  public static final float DEFAULT_FONT_SIZE = 18f;
  public static final float DEFAULT_BOX_ALPHA = 0.8f;
  public static final float DEFAULT_FILL_ALPHA = 0.3f;

  public MarkStyle {
    modes = new TreeSet<>(modes);
    for (String m : modes) {
      if (!MODES.contains(m)) {
        throw new IllegalArgumentException("unknown mark mode '" + m + "': " + MODES);
      }
    }
    if (!(fontSize > 0) || boxAlpha < 0 || boxAlpha > 1 || fillAlpha < 0 || fillAlpha > 1) {
      throw new IllegalArgumentException(
          String.format(Locale.ROOT, "font size %s must be > 0 and alphas in [0, 1]", fontSize));
    }
  }

  /** Numbers only, as the paper's listing data. */
  public static MarkStyle numbers() {
    return new MarkStyle(Set.of(), DEFAULT_FONT_SIZE, DEFAULT_BOX_ALPHA, DEFAULT_FILL_ALPHA);
  }

  public boolean has(String mode) {
    return modes.contains(mode);
  }
}
