package dev.corpusforge.core;

import java.io.Serializable;

/**
 * How {@link Batched} forms its batches.
 *
 * @param size records per batch
 * @param maxBufferingMillis longest a record waits for its batch to fill
 * @param keys parallel batching keys: how many batches fill at once
 */
public record Batching(int size, long maxBufferingMillis, int keys) implements Serializable {
  public Batching {
    if (size < 1) {
      throw new IllegalArgumentException("a batch holds at least one record");
    }
    if (keys < 1 || maxBufferingMillis < 1) {
      throw new IllegalArgumentException("batches need keys ≥ 1 and buffering ≥ 1 ms");
    }
  }

  /** Records spread over {@code keys} batching keys and grouped ({@code GroupIntoBatches}). */
  public static Batching grouped(int size, long maxBufferingMillis, int keys) {
    return new Batching(size, maxBufferingMillis, keys);
  }
}
