package dev.corpusforge.filters.language;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corpusforge.filters.text.TextReasons;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LanguageRuleTest {
  @Test
  void englishIsKeptByDefaultAndOthersAreNot() {
    LanguageRule rule = LanguageRule.defaults();
    LanguageIdentifier.Detection en =
        LanguageIdentifier.detect("A small red bird sitting on the branch of an old tree", false);
    assertEquals("en", en.language());
    double ambiguous = LanguageIdentifier.detect("Blue car", false).score();
    assertTrue(en.score() > ambiguous, en.score() + " vs ambiguous " + ambiguous);
    assertTrue(rule.check(en.language(), en.score()).kept());
    LanguageIdentifier.Detection it =
        LanguageIdentifier.detect(
            "Un piccolo uccello rosso seduto sul ramo di un vecchio albero", false);
    assertEquals("it", it.language());
    assertEquals(TextReasons.LANGUAGE_NOT_KEPT, rule.check(it.language(), it.score()).reason());
  }

  @Test
  void unknownAndLowScoreHaveTheirOwnReasons() {
    LanguageRule rule = new LanguageRule(Set.of("en"), 0.5, false);
    assertEquals(
        TextReasons.LANGUAGE_UNKNOWN,
        rule.check(LanguageIdentifier.detect("🦜 🌳", false).language(), 0).reason());
    assertEquals(TextReasons.LANGUAGE_SCORE_LOW, rule.check("en", 0.1).reason());
    assertTrue(new LanguageRule(Set.of(), 0, false).check("fr", 0.9).kept());
  }
}
