package dev.corpusforge.annotators.decompose;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Splits a document of n tokens into chunks of power-of-two length (CORPORA.md §5): while more
 * than {@code extra} tokens remain (extra = 1 with the +1 layout, else 0), {@code k =
 * floor(log2(remaining − extra))}; below {@code minLog2} the rest is dropped; above {@code maxLog2}
 * k is drawn (released) or capped (largest-first); the next {@code 2^k + extra} tokens form one
 * chunk of bucket k. Chunks are contiguous, never overlap and never leave the document.
 */
public final class Decomposer {
  private final DecomposeRule rule;

  public Decomposer(DecomposeRule rule) {
    this.rule = rule;
  }

  /** One chunk: tokens [offset, offset + length) of the document, in bucket k. */
  public record Chunk(int offset, int length, int k) {}

  /**
   * The split of a document.
   *
   * @param chunks in document order
   * @param droppedTail tokens at the end that made no chunk (the remainder below 2^min + extra)
   */
  public record Split(List<Chunk> chunks, long droppedTail) {}

  /** Splits {@code length} tokens; {@code documentKey} seeds the random choices (same key, same split). */
  public Split split(int length, String documentKey) {
    int extra = rule.plusOne() ? 1 : 0;
    SplittableRandom random = rule.split() == DecomposeRule.Split.RELEASED ? new SplittableRandom(seed(documentKey)) : null;
    List<Chunk> chunks = new ArrayList<>();
    int offset = 0;
    while (length - offset > extra) {
      int remaining = length - offset;
      int k = 31 - Integer.numberOfLeadingZeros(remaining - extra);
      if (k < rule.minLog2()) {
        break;
      }
      if (k > rule.maxLog2()) {
        k = random == null ? rule.maxLog2() : draw(random);
      }
      int size = rule.chunkLength(k);
      chunks.add(new Chunk(offset, size, k));
      offset += size;
    }
    return new Split(List.copyOf(chunks), length - offset);
  }

  /** k from max…min with probability ∝ 2^(max − k): every bucket gets the same tokens in expectation. */
  private int draw(SplittableRandom random) {
    int span = rule.maxLog2() - rule.minLog2();
    long total = (1L << (span + 1)) - 1;
    long r = random.nextLong(total);
    long acc = 0;
    for (int i = 0; i <= span; i++) {
      acc += 1L << i;
      if (r < acc) {
        return rule.maxLog2() - i;
      }
    }
    return rule.minLog2();
  }

  private long seed(String documentKey) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest((rule.seed() + "/" + documentKey).getBytes(StandardCharsets.UTF_8));
      long s = 0;
      for (int i = 0; i < 8; i++) {
        s = (s << 8) | (d[i] & 0xff);
      }
      return s;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
