package dev.corpusforge.core;

import java.io.Serializable;

/**
 * How {@link Batched} forms its batches.
 *
 * @param size records per batch
 * @param maxBufferingMillis longest a record waits for its batch to fill (grouped batches)
 * @param keys parallel batching keys, how many batches fill at once; 0 batches the records each
 *     worker already holds, without moving them (for records too heavy to shuffle, such as decoded
 *     images)
 */
public record Batching(int size, long maxBufferingMillis, int keys) implements Serializable {
  public Batching {
    if (size < 1) {
      throw new IllegalArgumentException("a batch holds at least one record");
    }
    if (keys < 0 || (keys > 0 && maxBufferingMillis < 1)) {
      throw new IllegalArgumentException("grouped batches need keys ≥ 1 and buffering ≥ 1 ms");
    }
  }

  /** Records spread over {@code keys} batching keys and grouped ({@code GroupIntoBatches}). */
  public static Batching grouped(int size, long maxBufferingMillis, int keys) {
    return new Batching(size, maxBufferingMillis, keys);
  }

  /** Batches of the records of each bundle, formed where they are. */
  public static Batching withinBundles(int size) {
    return new Batching(size, 0, 0);
  }

  boolean grouped() {
    return keys > 0;
  }
}
