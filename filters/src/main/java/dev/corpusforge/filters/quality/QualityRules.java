package dev.corpusforge.filters.quality;

import java.io.Serializable;

/**
 * Which quality rule sets a text pipeline applies ({@code --quality gopher,c4}), with their
 * thresholds; echoed in the manifest.
 *
 * @param gopher Gopher's quality rules, or null
 * @param repetition Gopher's repetition rules (part of {@code gopher}), or null
 * @param c4 C4's rules, or null
 */
public record QualityRules(
    GopherQuality.Settings gopher, GopherRepetition.Settings repetition, C4Quality.Settings c4)
    implements Serializable {
  public static final QualityRules NONE = new QualityRules(null, null, null);

  public boolean any() {
    return gopher != null || repetition != null || c4 != null;
  }
}
