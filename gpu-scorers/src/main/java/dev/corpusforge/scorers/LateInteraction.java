package dev.corpusforge.scorers;

import java.util.Arrays;

/**
 * Alignment scores of a dual encoder, from one forward pass's outputs (CORPORA.md §1):
 *
 * <ul>
 *   <li>{@link #clipScore}: cosine of the L2-normalised pooled embeddings;
 *   <li>{@link #filip}: FILIP's token-wise late interaction. Image tokens are the patch tokens (the
 *       [CLS] token dropped when the encoder emits one), text tokens the real ones (padding never
 *       takes part, so it can never win a max); every token is L2-normalised. With similarities
 *       {@code S[k][r] = <v_k, t_r>}: {@code s_I = mean_k max_r S}, {@code s_T = (Σ_r max_k S) /
 *       max(1, #real tokens)}, score {@code (s_I + s_T) / 2};
 *   <li>{@link #similarityMap}: per patch, {@code max_r S[k][r]} — where in the image the text is.
 * </ul>
 *
 * <p>FILIP's token selection ({@code topFraction < 1}) averages, on each side, only the ⌈fraction ·
 * n⌉ tokens with the highest token-wise maximum; 1 gives the exact definition above.
 */
public final class LateInteraction {
  private LateInteraction() {}

  /** The two directions and their mean. */
  public record FilipScore(double imageToText, double textToImage, double score) {}

  /** Cosine similarity of two pooled embeddings (normalised here). */
  public static double clipScore(float[] imagePooled, float[] textPooled) {
    checkSameDimension(imagePooled.length, textPooled.length);
    return dot(normalised(imagePooled), normalised(textPooled));
  }

  /**
   * FILIP late interaction of one pair.
   *
   * @param imageTokens [tokens][dim] image encoder output, [CLS] first when {@code imageHasCls}
   * @param textTokens [tokens][dim] text encoder output, padded
   * @param textMask 1 for real tokens, 0 for padding; same length as {@code textTokens}
   * @param topFraction fraction of tokens kept per side, in (0, 1]
   */
  public static FilipScore filip(
      float[][] imageTokens,
      boolean imageHasCls,
      float[][] textTokens,
      long[] textMask,
      double topFraction) {
    if (topFraction <= 0 || topFraction > 1) {
      throw new IllegalArgumentException("top fraction must be in (0, 1], not " + topFraction);
    }
    float[][] patches = patches(imageTokens, imageHasCls);
    float[][] words = realTokens(textTokens, textMask);
    if (words.length > 0) {
      checkSameDimension(patches[0].length, words[0].length);
    }
    double[] patchMax = new double[patches.length];
    double[] wordMax = new double[words.length];
    Arrays.fill(patchMax, Double.NEGATIVE_INFINITY);
    Arrays.fill(wordMax, Double.NEGATIVE_INFINITY);
    for (int k = 0; k < patches.length; k++) {
      for (int r = 0; r < words.length; r++) {
        double s = dot(patches[k], words[r]);
        if (s > patchMax[k]) {
          patchMax[k] = s;
        }
        if (s > wordMax[r]) {
          wordMax[r] = s;
        }
      }
    }
    double imageToText = words.length == 0 ? 0 : topMean(patchMax, topFraction, patchMax.length);
    double textToImage =
        words.length == 0
            ? 0
            : topSum(wordMax, topFraction) / Math.max(1, kept(wordMax.length, topFraction));
    return new FilipScore(imageToText, textToImage, (imageToText + textToImage) / 2);
  }

  /** Per patch (in encoder order, [CLS] dropped), the best similarity to any real text token. */
  public static float[] similarityMap(
      float[][] imageTokens, boolean imageHasCls, float[][] textTokens, long[] textMask) {
    float[][] patches = patches(imageTokens, imageHasCls);
    float[][] words = realTokens(textTokens, textMask);
    float[] map = new float[patches.length];
    for (int k = 0; k < patches.length; k++) {
      double best = words.length == 0 ? 0 : Double.NEGATIVE_INFINITY;
      for (float[] word : words) {
        best = Math.max(best, dot(patches[k], word));
      }
      map[k] = (float) best;
    }
    return map;
  }

  /**
   * DataComp's top-fraction threshold: with the scores sorted in descending order, the score at
   * (1-based) rank ⌊fraction · N⌋; keeping scores ≥ it keeps the top fraction. Positive infinity
   * (keep nothing) when ⌊fraction · N⌋ is 0.
   */
  public static double topFractionThreshold(double[] scores, double fraction) {
    if (fraction < 0 || fraction > 1) {
      throw new IllegalArgumentException("fraction must be in [0, 1], not " + fraction);
    }
    int n = (int) Math.floor(fraction * scores.length);
    if (n == 0) {
      return Double.POSITIVE_INFINITY;
    }
    double[] sorted = scores.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length - n];
  }

  /** A copy of {@code v} scaled to unit length (a zero vector stays zero). */
  public static float[] normalised(float[] v) {
    double norm = 0;
    for (float x : v) {
      norm += (double) x * x;
    }
    norm = Math.sqrt(norm);
    float[] out = new float[v.length];
    if (norm == 0) {
      return out;
    }
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) (v[i] / norm);
    }
    return out;
  }

  private static float[][] patches(float[][] imageTokens, boolean hasCls) {
    int from = hasCls ? 1 : 0;
    if (imageTokens.length - from < 1) {
      throw new IllegalArgumentException(
          "image output has "
              + imageTokens.length
              + " tokens: no patch tokens"
              + (hasCls ? " after the [CLS] token" : ""));
    }
    float[][] out = new float[imageTokens.length - from][];
    for (int k = from; k < imageTokens.length; k++) {
      out[k - from] = normalised(imageTokens[k]);
    }
    return out;
  }

  private static float[][] realTokens(float[][] textTokens, long[] mask) {
    if (mask.length != textTokens.length) {
      throw new IllegalArgumentException(
          "text mask has " + mask.length + " entries for " + textTokens.length + " tokens");
    }
    int real = 0;
    for (long m : mask) {
      real += m != 0 ? 1 : 0;
    }
    float[][] out = new float[real][];
    int i = 0;
    for (int r = 0; r < textTokens.length; r++) {
      if (mask[r] != 0) {
        out[i++] = normalised(textTokens[r]);
      }
    }
    return out;
  }

  private static int kept(int n, double fraction) {
    return Math.max(1, (int) Math.ceil(fraction * n - 1e-9));
  }

  private static double topSum(double[] values, double fraction) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int k = Math.min(sorted.length, kept(sorted.length, fraction));
    double sum = 0;
    for (int i = sorted.length - k; i < sorted.length; i++) {
      sum += sorted[i];
    }
    return sum;
  }

  private static double topMean(double[] values, double fraction, int n) {
    return topSum(values, fraction) / Math.min(n, kept(n, fraction));
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }

  private static void checkSameDimension(int image, int text) {
    if (image != text) {
      throw new IllegalArgumentException(
          "image embeddings have dimension " + image + ", text embeddings " + text);
    }
  }
}
