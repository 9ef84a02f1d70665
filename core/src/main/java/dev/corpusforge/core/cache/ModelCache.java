package dev.corpusforge.core.cache;

import java.nio.ByteBuffer;
import java.util.Map;

/**
 * A model's outputs kept across runs, in a {@link BlobCache} namespace of their own: each payload
 * under a key made of the model's identity (the SHA-256 of its bundle's files and the settings that
 * change its outputs) and its input's content. A run that meets an input the model has seen makes
 * no call for it. The step that uses it calls {@link #report} on its own thread after each batch,
 * so the manifest counts hits, misses, stores and corrupt entries.
 */
public final class ModelCache {
  private final BlobCache blobs;
  private final String model;
  private final CacheCounters counters;

  private ModelCache(BlobCache blobs, String model) {
    this.blobs = blobs;
    this.model = model;
    this.counters = new CacheCounters(blobs);
  }

  /**
   * The cache of {@code spec}'s namespace {@code namespace} for the model {@code model} (its bundle
   * digest and settings, as one string); null when the run has no cache.
   */
  public static ModelCache open(CacheSpec spec, String namespace, String model) {
    return spec == null ? null : new ModelCache(BlobCache.open(spec, namespace), model);
  }

  public BlobCache blobs() {
    return blobs;
  }

  /** The key of an input, given as the string that decides the model's output for it. */
  public String key(String input) {
    return model + " " + input;
  }

  /** The payload kept under {@code key}, or null. */
  public byte[] get(String key) {
    return blobs.get(key).map(BlobCache.Entry::payload).orElse(null);
  }

  public void put(String key, byte[] payload) {
    blobs.put(key, Map.of(), payload);
  }

  /** Adds what the cache counted since the last report to the step's metrics. */
  public void report() {
    counters.report();
  }

  /** A vector as bytes: its length, then its components. */
  public static byte[] vector(float[] v) {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * v.length).putInt(v.length);
    for (float x : v) {
      b.putFloat(x);
    }
    return b.array();
  }

  /** A vector from {@link #vector(float[])}'s bytes; null when they do not hold one. */
  public static float[] vector(byte[] bytes) {
    if (bytes == null || bytes.length < 4) {
      return null;
    }
    ByteBuffer b = ByteBuffer.wrap(bytes);
    int n = b.getInt();
    if (n < 0 || bytes.length != 4 + 4L * n) {
      return null;
    }
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = b.getFloat();
    }
    return v;
  }
}
