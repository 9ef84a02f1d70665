package dev.corpusforge.annotators.decompose;

import java.io.Serializable;
import java.util.Locale;

/**
 * How a document's tokens are split into power-of-two buckets (CORPORA.md §5); echoed in the
 * manifest.
 *
 * @param minLog2 smallest bucket k (chunks of 2^k tokens); a remainder shorter than that is dropped
 * @param maxLog2 largest bucket k
 * @param split {@code released} (beyond 2^max, k drawn from max…min with probability ∝ 2^(max−k),
 *     seeded per document, as the released code does) or {@code largest-first} (always the largest
 *     power of two that fits, as the paper's prose says)
 * @param plusOne chunks of 2^k + 1 tokens (the released layout: the +1 is the shifted target);
 *     false for exact powers of two
 * @param seed run seed, mixed with each document's id
 */
public record DecomposeRule(int minLog2, int maxLog2, Split split, boolean plusOne, long seed)
    implements Serializable {
  public static final int DEFAULT_MIN_LOG2 = 8;
  public static final int DEFAULT_MAX_LOG2 = 13;
  public static final long DEFAULT_SEED = 0;

  public enum Split {
    RELEASED,
    LARGEST_FIRST;

    public static Split parse(String value) {
      return switch (value.trim().toLowerCase(Locale.ROOT)) {
        case "released" -> RELEASED;
        case "largest-first" -> LARGEST_FIRST;
        default ->
            throw new IllegalArgumentException(
                "--split must be released or largest-first, not '" + value + "'");
      };
    }
  }

  public DecomposeRule {
    if (minLog2 < 0 || maxLog2 > 30 || minLog2 > maxLog2) {
      throw new IllegalArgumentException(
          "need 0 ≤ --min-log2 ≤ --max-log2 ≤ 30, not " + minLog2 + " and " + maxLog2);
    }
  }

  public static DecomposeRule defaults() {
    return new DecomposeRule(
        DEFAULT_MIN_LOG2, DEFAULT_MAX_LOG2, Split.RELEASED, true, DEFAULT_SEED);
  }

  /** Tokens in a chunk of bucket k. */
  public int chunkLength(int k) {
    return (1 << k) + (plusOne ? 1 : 0);
  }
}
