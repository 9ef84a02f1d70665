package dev.corpusforge.core;

import dev.corpusforge.schemas.Reject;

/**
 * Where a step that makes several records at once (a batch, a tar shard) hands its kept records and
 * its reject rows, as it makes them.
 */
public interface RecordSink<T> {
  void kept(T record);

  void rejected(Reject reject);
}
