package dev.corpusforge.core.cache;

import org.apache.beam.sdk.metrics.Metrics;

/**
 * Hands a cache's counts to Beam's metrics as they grow. Beam counts only on a step's own thread,
 * and a cache may be used from others (a fetch pool): the step calls {@link #report} on its thread
 * now and then, and at the end of each bundle.
 */
public final class CacheCounters {
  private final BlobCache cache;
  private long hits;
  private long misses;
  private long corrupt;
  private long stored;
  private long storeFailed;

  public CacheCounters(BlobCache cache) {
    this.cache = cache;
  }

  /** Adds to the metrics what the cache counted since the last report. */
  public void report() {
    BlobCache.Counts c = cache.counts();
    hits = add("hits", hits, c.hits());
    misses = add("misses", misses, c.misses());
    corrupt = add("corrupt", corrupt, c.corrupt());
    stored = add("stored", stored, c.stored());
    storeFailed = add("store_failed", storeFailed, c.storeFailed());
  }

  private long add(String what, long reported, long now) {
    if (now > reported) {
      Metrics.counter(BlobCache.METRICS, cache.namespace() + "_" + what).inc(now - reported);
    }
    return now;
  }
}
