package dev.corpusforge.filters.language;

import static dev.corpusforge.filters.text.TextReasons.*;

import dev.corpusforge.core.Verdict;
import java.io.Serializable;
import java.util.Set;
import java.util.TreeSet;

/**
 * Keeps captions in one of {@code keep} (ISO 639-1 codes; FILIP kept English only) with a detection
 * score of at least {@code minScore} ({@link LanguageIdentifier} defines the score; {@code
 * lowAccuracy} picks Lingua's faster, trigram-only mode). An empty {@code keep} set keeps every
 * language.
 */
public record LanguageRule(Set<String> keep, double minScore, boolean lowAccuracy)
    implements Serializable {
  public LanguageRule {
    keep = Set.copyOf(new TreeSet<>(keep));
  }

  public static LanguageRule defaults() {
    return new LanguageRule(Set.of("en"), 0.0, false);
  }

  public Verdict check(String language, double score) {
    if (keep.isEmpty()) {
      return Verdict.keep();
    }
    if (LanguageIdentifier.UNKNOWN.equals(language)) {
      return Verdict.drop(LANGUAGE_UNKNOWN, "no language detected");
    }
    if (!keep.contains(language)) {
      return Verdict.drop(
          LANGUAGE_NOT_KEPT,
          String.format("%s (%.3f) not in %s", language, score, new TreeSet<>(keep)));
    }
    if (score < minScore) {
      return Verdict.drop(
          LANGUAGE_SCORE_LOW, String.format("%s score %.3f < %s", language, score, minScore));
    }
    return Verdict.keep();
  }
}
