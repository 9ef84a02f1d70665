package dev.corpusforge.filters.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corpusforge.core.Verdict;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TextRulesTest {
  private final TextRules rules = TextRules.defaults();
  private final CaptionCleaner cleaner = CaptionCleaner.defaults();

  private String reason(String caption) {
    return rules.check(cleaner.clean(caption)).reason();
  }

  @Test
  void keepsAnOrdinaryCaption() {
    Verdict v = rules.check(cleaner.clean("A red apple on a wooden table"));
    assertTrue(v.kept());
  }

  @Test
  void dataCompBasicRuleNeedsMoreThanTwoWordsAndFiveCharacters() {
    assertEquals(TextReasons.CAPTION_TOO_SHORT, reason("red apple"));
    assertEquals(TextReasons.CAPTION_TOO_SHORT, reason("a b c"));
    assertNull(reason("a big cat"));
  }

  @Test
  void emptyAndWhitespaceOnlyCaptionsAreEmpty() {
    assertEquals(TextReasons.CAPTION_EMPTY, reason(""));
    assertEquals(TextReasons.CAPTION_EMPTY, reason(" \t\n \u00a0 "));
    assertEquals(TextReasons.CAPTION_MISSING, rules.check(null).reason());
  }

  @Test
  void tooLongCaptionIsRejectedWithItsLength() {
    Verdict v = rules.check("word ".repeat(20_000).strip());
    assertEquals(TextReasons.CAPTION_TOO_LONG, v.reason());
    assertTrue(v.detail().startsWith("99999 characters"), v.detail());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "IMG_0001.JPG",
        "img 0.jpg",
        "DSC01234",
        "photo-12",
        "0a1b2c3d4e5f60718293a4b5c6d7e8f9",
        "123e4567-e89b-12d3-a456-426614174000",
        "20230101_120000",
        "12345",
        "my holiday 3.png"
      })
  void fileNameLikeCaptionsAreRejected(String caption) {
    assertEquals(TextReasons.CAPTION_FILENAME_LIKE, reason(caption));
  }

  @Test
  void fileNameRuleCanBeTurnedOff() {
    TextRules off = new TextRules(1, 1, 1000, false);
    assertTrue(off.check("IMG_0001.JPG").kept());
  }

  @Test
  void invalidUtf8IsRejectedAsInvalidEncoding() {
    byte[] bytes = {'a', ' ', 'c', 'a', 't', ' ', (byte) 0xff, ' ', 'o', 'n', ' ', 'm', 'a', 't'};
    String decoded = new String(bytes, StandardCharsets.UTF_8);
    assertEquals(TextReasons.CAPTION_INVALID_ENCODING, reason(decoded));
  }

  @Test
  void emojiOnlyCaptionHasNoLetters() {
    assertEquals(TextReasons.CAPTION_NO_LETTERS, reason("🦜 🌳 🌞 ✨"));
  }

  @Test
  void cleanerDecodesEntitiesNormalisesAndCollapsesSpace() {
    assertEquals("Tom & Jerry café", cleaner.clean("  Tom &amp; Jerry\n\n cafe\u0301\u200b "));
    assertEquals("a b", cleaner.clean("a\u0000\u0007 b"));
  }
}
