package dev.corpusforge.annotators.decompose;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CurriculumTest {
  @Test
  void theReleasedWorkedExample() {
    // 736 / 1248 / 1552 / 1312 / 1072 / 960 batches → weights 1472 / 1248 / 776 / 328 / 134 / 60
    // (Grow-P2 odds 32 … 1; the released example shows them divided by 16)
    double[] w =
        Curriculum.weights(
            new long[] {736, 1248, 1552, 1312, 1072, 960}, Curriculum.odds("grow-p2", 6));
    double[] shown = new double[6];
    for (int i = 0; i < 6; i++) {
      shown[i] = w[i] / 16;
    }
    assertArrayEquals(new double[] {1472, 1248, 776, 328, 134, 60}, shown);
    assertArrayEquals(new double[] {32, 16, 8, 4, 2, 1}, Curriculum.odds("odds:32,16,8,4,2,1", 6));
    assertArrayEquals(new double[] {1, 1, 1}, Curriculum.odds("uniform", 3));
  }

  private static List<List<String>> buckets(int... counts) {
    List<List<String>> ids = new ArrayList<>();
    for (int i = 0; i < counts.length; i++) {
      List<String> b = new ArrayList<>();
      for (int j = 0; j < counts[i]; j++) {
        b.add(i + "-" + j);
      }
      ids.add(b);
    }
    return ids;
  }

  @Test
  void stepsHoldEqualTokensUseEverySequenceOncePerEpochAndGrowShortToLong() throws Exception {
    // buckets 2^2 … 2^4, 64 tokens per step: 16, 8 and 4 sequences per step
    List<List<String>> ids = buckets(160, 40, 13);
    List<Curriculum.Step> steps = new ArrayList<>();
    Curriculum.Summary s =
        Curriculum.schedule(2, ids, 64, Curriculum.odds("grow-p100", 3), 2, 7, steps::add);
    assertEquals(10 + 5 + 3, s.stepsPerEpoch());
    assertEquals(36, s.steps());
    assertArrayEquals(new long[] {0, 0, 1}, s.unusedSequences());
    for (Curriculum.Step step : steps) {
      assertEquals(64, step.sequenceIds().size() * (1 << step.k()));
    }
    java.util.Set<String> epoch0 = new java.util.HashSet<>();
    steps.stream().filter(st -> st.epoch() == 0).forEach(st -> epoch0.addAll(st.sequenceIds()));
    assertEquals(160 + 40 + 12, epoch0.size(), "no sequence twice in an epoch");
    // Grow-P100 drains short buckets first: bucket ks never decrease within the first epoch, almost
    // surely
    int last = 0;
    int inversions = 0;
    for (Curriculum.Step step : steps.subList(0, 18)) {
      inversions += step.k() < last ? 1 : 0;
      last = step.k();
    }
    assertTrue(inversions <= 1, "inversions " + inversions);
    // cost: Σ len² per step against sequences of 2^4 for the same tokens
    double expected = 0;
    for (Curriculum.Step step : steps) {
      expected += step.sequenceIds().size() * Math.pow(1 << step.k(), 2);
    }
    assertEquals(expected, s.attentionCost());
    assertEquals(36.0 * 64 * 16, s.baselineCost());
    assertTrue(s.costRatio() < 1);
    // the same seed gives the same schedule
    List<Curriculum.Step> again = new ArrayList<>();
    Curriculum.schedule(2, ids, 64, Curriculum.odds("grow-p100", 3), 2, 7, again::add);
    assertEquals(steps, again);
  }
}
