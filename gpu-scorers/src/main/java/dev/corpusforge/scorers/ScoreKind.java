package dev.corpusforge.scorers;

import java.util.Locale;

/** Which alignment score a filter uses. */
public enum ScoreKind {
  CLIP,
  FILIP;

  public static ScoreKind parse(String value) {
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("score must be clip or filip, not '" + value + "'");
    }
  }

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
