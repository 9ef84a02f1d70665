package dev.corpusforge.scorers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The late-interaction math against a plain reference written straight from CORPORA.md §1. */
class LateInteractionTest {
  private static float[][] random(Random rnd, int tokens, int dim) {
    float[][] t = new float[tokens][dim];
    for (float[] row : t) {
      for (int i = 0; i < dim; i++) {
        row[i] = (float) rnd.nextGaussian();
      }
    }
    return t;
  }

  private static double cos(float[] a, float[] b) {
    double ab = 0;
    double aa = 0;
    double bb = 0;
    for (int i = 0; i < a.length; i++) {
      ab += a[i] * (double) b[i];
      aa += a[i] * (double) a[i];
      bb += b[i] * (double) b[i];
    }
    return ab / Math.sqrt(aa * bb);
  }

  /** Reference: padded tokens get similarity −∞ so they can never win a max. */
  private static double[] reference(float[][] image, boolean cls, float[][] text, long[] mask) {
    int from = cls ? 1 : 0;
    double sI = 0;
    for (int k = from; k < image.length; k++) {
      double best = Double.NEGATIVE_INFINITY;
      for (int r = 0; r < text.length; r++) {
        best = Math.max(best, mask[r] == 0 ? Double.NEGATIVE_INFINITY : cos(image[k], text[r]));
      }
      sI += best;
    }
    sI /= image.length - from;
    double sT = 0;
    int real = 0;
    for (int r = 0; r < text.length; r++) {
      if (mask[r] == 0) {
        continue;
      }
      real++;
      double best = Double.NEGATIVE_INFINITY;
      for (int k = from; k < image.length; k++) {
        best = Math.max(best, cos(image[k], text[r]));
      }
      sT += best;
    }
    sT /= Math.max(1, real);
    return new double[] {sI, sT, (sI + sT) / 2};
  }

  @Test
  void matchesTheReferenceWithPaddingOddLengthsAndSingleTokens() {
    Random rnd = new Random(42);
    int[][] shapes = {{50, 16, 5}, {10, 7, 1}, {2, 1, 1}, {197, 77, 13}, {17, 33, 32}};
    for (int[] shape : shapes) {
      for (boolean cls : new boolean[] {true, false}) {
        int dim = 24;
        float[][] image = random(rnd, shape[0], dim);
        float[][] text = random(rnd, shape[1], dim);
        long[] mask = new long[shape[1]];
        for (int r = 0; r < Math.min(shape[2], shape[1]); r++) {
          mask[r] = 1;
        }
        // padding rows get huge values: if they leaked into a max, the score would jump
        for (int r = shape[2]; r < shape[1]; r++) {
          java.util.Arrays.fill(text[r], 1000f);
        }
        if (cls && shape[0] == 1) {
          continue;
        }
        LateInteraction.FilipScore got = LateInteraction.filip(image, cls, text, mask, 1.0);
        double[] want = reference(image, cls, text, mask);
        assertEquals(want[0], got.imageToText(), 1e-5);
        assertEquals(want[1], got.textToImage(), 1e-5);
        assertEquals(want[2], got.score(), 1e-5);
      }
    }
  }

  @Test
  void identicalTokensScoreOneAndClipIsCosine() {
    float[][] tokens = {{1, 0, 0}, {0, 2, 0}};
    LateInteraction.FilipScore s =
        LateInteraction.filip(
            new float[][] {{9, 9, 9}, {1, 0, 0}, {0, 2, 0}}, true, tokens, new long[] {1, 1}, 1.0);
    assertEquals(1.0, s.score(), 1e-9);
    assertEquals(0.0, LateInteraction.clipScore(new float[] {1, 0}, new float[] {0, 3}), 1e-9);
    assertEquals(1.0, LateInteraction.clipScore(new float[] {2, 2}, new float[] {5, 5}), 1e-6);
  }

  /** Mean of the ⌈f·n⌉ largest values (at least one), straight from FILIP's token selection. */
  private static double meanOfTop(List<Double> values, double fraction) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(Collections.reverseOrder());
    int k = Math.max(1, (int) Math.ceil(fraction * sorted.size() - 1e-9));
    return sorted.subList(0, k).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
  }

  @Test
  void topFractionAveragesOnlyTheBestTokens() {
    Random rnd = new Random(7);
    float[][] image = random(rnd, 21, 8);
    float[][] text = random(rnd, 9, 8);
    long[] mask = {1, 1, 1, 1, 1, 1, 1, 0, 0};
    List<Double> patchBest = new ArrayList<>();
    for (int k = 1; k < image.length; k++) {
      double best = Double.NEGATIVE_INFINITY;
      for (int r = 0; r < 7; r++) {
        best = Math.max(best, cos(image[k], text[r]));
      }
      patchBest.add(best);
    }
    List<Double> wordBest = new ArrayList<>();
    for (int r = 0; r < 7; r++) {
      double best = Double.NEGATIVE_INFINITY;
      for (int k = 1; k < image.length; k++) {
        best = Math.max(best, cos(image[k], text[r]));
      }
      wordBest.add(best);
    }
    for (double fraction : new double[] {0.25, 0.5, 0.1, 1.0}) {
      LateInteraction.FilipScore got = LateInteraction.filip(image, true, text, mask, fraction);
      // 20 patches: the best 5 at 0.25, 10 at 0.5, 2 at 0.1; 7 real words: the best 2, 4, 1
      assertEquals(
          meanOfTop(patchBest, fraction), got.imageToText(), 1e-6, "image to text at " + fraction);
      assertEquals(
          meanOfTop(wordBest, fraction), got.textToImage(), 1e-6, "text to image at " + fraction);
      assertEquals((got.imageToText() + got.textToImage()) / 2, got.score(), 1e-9);
    }
    assertTrue(
        LateInteraction.filip(image, true, text, mask, 0.25).score()
            > LateInteraction.filip(image, true, text, mask, 1.0).score());
  }

  @Test
  void similarityMapIsThePerPatchMaximum() {
    float[][] image = {{0, 0, 1}, {1, 0, 0}, {0, 1, 0}};
    float[][] text = {{1, 0, 0}, {0, 0, 0}};
    float[] map = LateInteraction.similarityMap(image, true, text, new long[] {1, 0});
    assertEquals(2, map.length);
    assertEquals(1.0f, map[0], 1e-6);
    assertEquals(0.0f, map[1], 1e-6);
  }

  @Test
  void topFractionThresholdIsExact() {
    double[] scores = {0.1, 0.9, 0.5, 0.3, 0.7, 0.2, 0.8, 0.4, 0.6, 0.0};
    assertEquals(0.7, LateInteraction.topFractionThreshold(scores, 0.3), 0);
    assertEquals(0.5, LateInteraction.topFractionThreshold(scores, 0.5), 0);
    assertEquals(0.0, LateInteraction.topFractionThreshold(scores, 1.0), 0);
    assertEquals(Double.POSITIVE_INFINITY, LateInteraction.topFractionThreshold(scores, 0.05), 0);
  }

  @Test
  void mismatchedShapesFailClearly() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                LateInteraction.filip(
                    new float[][] {{1, 2}, {3, 4}},
                    true,
                    new float[][] {{1, 2, 3}},
                    new long[] {1},
                    1.0));
    assertTrue(e.getMessage().contains("dimension 2"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            LateInteraction.filip(
                new float[][] {{1, 2}}, true, new float[][] {{1, 2}}, new long[] {1}, 1.0));
  }
}
