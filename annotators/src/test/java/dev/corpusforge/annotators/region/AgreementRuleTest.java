package dev.corpusforge.annotators.region;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgreementRuleTest {
  static final AgreementRule RULE =
      new AgreementRule(0.5, 0.01, 0.9, Map.of("a", 0.2), "intersection");

  static BinaryMask box(int x0, int y0, int w, int h) {
    BinaryMask m = new BinaryMask(100, 100);
    for (int y = y0; y < y0 + h; y++) {
      for (int x = x0; x < x0 + w; x++) {
        m.set(x, y, true);
      }
    }
    return m;
  }

  @Test
  void overlappingMasksAgreeAndKeepTheirIntersection() {
    AgreementRule.Verdict v =
        RULE.judge(
            List.of(
                new Annotation("a", box(10, 10, 40, 40), 0.5),
                new Annotation("b", box(15, 10, 40, 40), 0.1)));
    assertTrue(v.kept());
    assertEquals(35.0 * 40 / (45 * 40), v.agreement(), 1e-12);
    assertEquals(box(15, 10, 35, 40), v.mask());
    AgreementRule union = new AgreementRule(0.5, 0.01, 0.9, Map.of(), "union");
    assertEquals(
        box(10, 10, 45, 40),
        union
            .judge(
                List.of(
                    new Annotation("a", box(10, 10, 40, 40), 0.5),
                    new Annotation("b", box(15, 10, 40, 40), 0.1)))
            .mask());
  }

  @Test
  void eachReasonInItsOrder() {
    assertEquals(
        AgreementRule.NO_REGION_FOUND,
        RULE.judge(List.of(Annotation.none("a"), new Annotation("b", box(0, 0, 5, 5), 1)))
            .reason());
    assertEquals(
        AgreementRule.NO_REGION_FOUND,
        RULE.judge(
                List.of(
                    new Annotation("a", new BinaryMask(100, 100), 1),
                    new Annotation("b", box(0, 0, 5, 5), 1)))
            .reason());
    assertEquals(
        AgreementRule.LOW_SCORE,
        RULE.judge(
                List.of(
                    new Annotation("a", box(0, 0, 50, 50), 0.1),
                    new Annotation("b", box(0, 0, 50, 50), 1)))
            .reason());
    assertEquals(
        AgreementRule.LOW_SCORE,
        RULE.judge(
                List.of(
                    new Annotation("a", box(0, 0, 50, 50), Double.NaN),
                    new Annotation("b", box(0, 0, 50, 50), 1)))
            .reason());
    AgreementRule.Verdict apart =
        RULE.judge(
            List.of(
                new Annotation("a", box(0, 0, 20, 20), 0.5),
                new Annotation("b", box(60, 60, 20, 20), 0.5)));
    assertEquals(AgreementRule.ANNOTATORS_DISAGREE, apart.reason());
    assertEquals(0.0, apart.agreement());
    assertEquals(
        AgreementRule.MASK_TOO_SMALL,
        RULE.judge(
                List.of(
                    new Annotation("a", box(0, 0, 5, 5), 0.5),
                    new Annotation("b", box(0, 0, 5, 5), 0.5)))
            .reason());
    BinaryMask all = box(0, 0, 100, 100);
    AgreementRule.Verdict everything =
        RULE.judge(List.of(new Annotation("a", all, 0.5), new Annotation("b", all, 0.5)));
    assertEquals(AgreementRule.MASK_TOO_LARGE, everything.reason());
    assertFalse(everything.kept());
  }

  @Test
  void badSettingsAreRefused() {
    assertThrows(
        IllegalArgumentException.class, () -> new AgreementRule(0.5, 0.01, 0.9, Map.of(), "vote"));
    assertThrows(
        IllegalArgumentException.class, () -> new AgreementRule(1.5, 0.01, 0.9, Map.of(), "union"));
    assertThrows(
        IllegalArgumentException.class, () -> new AgreementRule(0.5, 0.5, 0.1, Map.of(), "union"));
  }
}
