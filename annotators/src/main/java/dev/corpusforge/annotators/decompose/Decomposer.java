package dev.corpusforge.annotators.decompose;

import dev.corpusforge.schemas.RecordSeeds;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Splits a document of n tokens into chunks of power-of-two length (CORPORA.md §5): while more than
 * {@code extra} tokens remain (extra = 1 with the +1 layout, else 0), {@code k =
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
  public record Chunk(long offset, int length, int k) {}

  /**
   * The split of a document.
   *
   * @param chunks in document order
   * @param droppedTail tokens at the end that made no chunk (the remainder below 2^min + extra)
   */
  public record Split(List<Chunk> chunks, long droppedTail) {}

  /**
   * Splits {@code length} tokens; {@code documentKey} seeds the random choices (same key, same
   * split).
   */
  public Split split(long length, String documentKey) {
    Cursor cursor = cursor(documentKey);
    List<Chunk> chunks = new ArrayList<>();
    for (Chunk c = cursor.next(length, true);
        c != null;
        c = cursor.next(length - cursor.offset(), true)) {
      chunks.add(c);
    }
    return new Split(List.copyOf(chunks), length - cursor.offset());
  }

  /**
   * A split in progress, for documents streamed in pieces: the same chunks as {@link #split} on the
   * whole.
   */
  public Cursor cursor(String documentKey) {
    return new Cursor(
        rule.split() == DecomposeRule.Split.RELEASED
            ? new SplittableRandom(RecordSeeds.of(rule.seed(), documentKey))
            : null);
  }

  /** Walks one document's split as its tokens become known. */
  public final class Cursor {
    private final SplittableRandom random;
    private long offset;

    private Cursor(SplittableRandom random) {
      this.random = random;
    }

    /** Tokens consumed by the chunks given so far. */
    public long offset() {
      return offset;
    }

    /**
     * The next chunk, or null: when {@code complete} (the {@code available} tokens after {@link
     * #offset} are all that remain) null means the rest is dropped; otherwise null means more
     * tokens are needed to decide (while at least 2^(max+1) + extra are available the next chunk is
     * always a draw beyond the largest bucket, whatever the document's true length).
     */
    public Chunk next(long available, boolean complete) {
      int extra = rule.plusOne() ? 1 : 0;
      if (available <= extra) {
        return null;
      }
      if (!complete && available - extra < (2L << rule.maxLog2())) {
        return null;
      }
      int k = 63 - Long.numberOfLeadingZeros(available - extra);
      if (k < rule.minLog2()) {
        return null;
      }
      if (k > rule.maxLog2()) {
        k = random == null ? rule.maxLog2() : draw(random);
      }
      Chunk chunk = new Chunk(offset, rule.chunkLength(k), k);
      offset += chunk.length();
      return chunk;
    }
  }

  /**
   * k from max…min with probability ∝ 2^(max − k): every bucket gets the same tokens in
   * expectation.
   */
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
}
