package dev.corpusforge.filters.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ImageRulesTest {
  private final ImageRules rules = ImageRules.defaults();

  @Test
  void filipSizeRules() {
    assertTrue(rules.checkHeader(new ImageHeader("png", 200, 600)).kept());
    assertEquals(
        ImageReasons.MIN_SIDE, rules.checkHeader(new ImageHeader("png", 199, 400)).reason());
    assertEquals(
        ImageReasons.ASPECT_RATIO, rules.checkHeader(new ImageHeader("png", 200, 601)).reason());
  }

  @Test
  void byteCapAndEmpty() {
    assertEquals(ImageReasons.IMAGE_EMPTY, rules.checkBytes(0).reason());
    assertEquals(
        ImageReasons.IMAGE_TOO_LARGE_BYTES,
        rules.checkBytes(ImageRules.DEFAULT_MAX_BYTES + 1).reason());
    assertTrue(rules.checkBytes(1000).kept());
  }

  @Test
  void zeroTurnsARuleOff() {
    ImageRules off = new ImageRules(0, 0, 0, 0);
    assertTrue(off.checkHeader(new ImageHeader("png", 10, 10_000)).kept());
  }
}
