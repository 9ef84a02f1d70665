package dev.corpusforge.filters.dedup;

import java.io.Serializable;

/**
 * Candidate keys for Hamming-radius search on 64-bit hashes, without comparing all pairs.
 *
 * <p>The hash is cut into {@code radius + 2} blocks of nearly equal width. Two hashes within
 * Hamming distance {@code radius} differ in at most {@code radius} blocks, so (pigeonhole) they
 * agree exactly on at least two: every pair of blocks is a key, and such hashes share at least one
 * key. Keys of two blocks are ~2 × 64/(radius + 2) bits wide (21 bits at radius 4), so a key group
 * holds about N / 2^21 unrelated hashes: candidate groups stay small even for hundreds of millions
 * of images, at the price of C(radius + 2, 2) keys per hash (15 at radius 4).
 */
public final class HashBands implements Serializable {
  private final int radius;
  private final int[] starts;
  private final int[] widths;
  private final int[][] pairs;

  public HashBands(int radius) {
    if (radius < 0 || radius > 30) {
      throw new IllegalArgumentException("Hamming radius must be in 0..30, not " + radius);
    }
    this.radius = radius;
    int blocks = radius + 2;
    starts = new int[blocks];
    widths = new int[blocks];
    int start = 0;
    for (int b = 0; b < blocks; b++) {
      widths[b] = 64 / blocks + (b < 64 % blocks ? 1 : 0);
      starts[b] = start;
      start += widths[b];
    }
    pairs = new int[blocks * (blocks - 1) / 2][];
    int k = 0;
    for (int i = 0; i < blocks; i++) {
      for (int j = i + 1; j < blocks; j++) {
        pairs[k++] = new int[] {i, j};
      }
    }
  }

  public int radius() {
    return radius;
  }

  /** Number of keys per hash. */
  public int count() {
    return pairs.length;
  }

  /** Key {@code k} of {@code hash}: which two blocks, and their bits, as text. */
  public String key(long hash, int k) {
    int i = pairs[k][0];
    int j = pairs[k][1];
    return i
        + ","
        + j
        + ":"
        + Long.toHexString(block(hash, i))
        + "."
        + Long.toHexString(block(hash, j));
  }

  private long block(long hash, int b) {
    return (hash >>> starts[b]) & ((1L << widths[b]) - 1);
  }
}
