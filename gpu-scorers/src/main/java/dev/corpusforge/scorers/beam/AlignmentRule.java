package dev.corpusforge.scorers.beam;

import dev.corpusforge.scorers.ScoreKind;
import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which pairs the alignment filter keeps; echoed in the manifest. Either a fixed floor (LAION
 * style: {@code minScore}, optionally per caption language) or a fraction of the whole input
 * (DataComp style: {@code keepTopFraction}); with neither, pairs are scored and all kept.
 *
 * @param score the score compared: clip or filip
 * @param minScore keep pairs scoring ≥ this (null: no floor)
 * @param minScoreByLanguage floors for captions in these languages (ISO 639-1), overriding {@code
 *     minScore}
 * @param keepTopFraction keep the pairs scoring ≥ the score at rank ⌊F·N⌋ over all N scored pairs
 *     (null: off)
 */
public record AlignmentRule(
    ScoreKind score,
    Double minScore,
    Map<String, Double> minScoreByLanguage,
    Double keepTopFraction)
    implements Serializable {
  public AlignmentRule {
    minScoreByLanguage = minScoreByLanguage == null ? Map.of() : new TreeMap<>(minScoreByLanguage);
    boolean floor = minScore != null || !minScoreByLanguage.isEmpty();
    if (floor && keepTopFraction != null) {
      throw new IllegalArgumentException(
          "use either --min-score (and --min-score-lang) or --keep-top-fraction, not both");
    }
    if (keepTopFraction != null && !(keepTopFraction > 0 && keepTopFraction <= 1)) {
      throw new IllegalArgumentException(
          "--keep-top-fraction must be in (0, 1], not " + keepTopFraction);
    }
  }

  public boolean filters() {
    return minScore != null || !minScoreByLanguage.isEmpty() || keepTopFraction != null;
  }

  /** The floor for a caption in {@code language}, or null when that language has none. */
  public Double floorFor(String language) {
    Double byLanguage = language == null ? null : minScoreByLanguage.get(language);
    return byLanguage != null ? byLanguage : minScore;
  }
}
