package dev.corpusforge.filters.dedup;

import java.io.Serializable;

/**
 * Splits a 64-bit hash into {@code radius + 1} bands of nearly equal width. Two hashes within
 * Hamming distance {@code radius} differ in at most {@code radius} bands, so by the pigeonhole
 * principle they agree exactly on at least one: grouping by (band index, band bits) finds every
 * such pair without comparing all pairs.
 */
public final class HashBands implements Serializable {
  private final int radius;
  private final int[] starts;
  private final int[] widths;

  public HashBands(int radius) {
    if (radius < 0 || radius > 31) {
      throw new IllegalArgumentException("Hamming radius must be in 0..31, not " + radius);
    }
    this.radius = radius;
    int bands = radius + 1;
    starts = new int[bands];
    widths = new int[bands];
    int start = 0;
    for (int b = 0; b < bands; b++) {
      widths[b] = 64 / bands + (b < 64 % bands ? 1 : 0);
      starts[b] = start;
      start += widths[b];
    }
  }

  public int radius() {
    return radius;
  }

  public int count() {
    return starts.length;
  }

  /** The key of band {@code b} of {@code hash}: band index and its bits, as text. */
  public String key(long hash, int b) {
    long bits = (hash >>> starts[b]) & (widths[b] == 64 ? -1L : (1L << widths[b]) - 1);
    return b + ":" + Long.toHexString(bits);
  }
}
