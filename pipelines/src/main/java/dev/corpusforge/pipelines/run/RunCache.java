package dev.corpusforge.pipelines.run;

import dev.corpusforge.core.cache.CacheSpec;

/**
 * The cache a run keeps its fetched bodies and model outputs in ({@link
 * dev.corpusforge.core.cache.BlobCache}): {@code --cache DIR}, by default {@code OUTPUT.cache} next
 * to the output; none with {@code --no-cache}.
 *
 * @param dir the folder or URI asked for, or null for the default
 * @param maxBytes the size it is brought under when a run ends
 * @param off no cache at all
 */
public record RunCache(String dir, long maxBytes, boolean off) {
  public static final RunCache DEFAULT = new RunCache(null, CacheSpec.DEFAULT_MAX_BYTES, false);
  public static final RunCache NONE = new RunCache(null, CacheSpec.DEFAULT_MAX_BYTES, true);

  public RunCache {
    if (off && dir != null) {
      throw new IllegalArgumentException("--cache and --no-cache exclude each other");
    }
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("--cache-max-bytes must be > 0, not " + maxBytes);
    }
  }

  /** The cache of a run writing to {@code output}, or null for none. */
  public CacheSpec spec(String output) {
    if (off) {
      return null;
    }
    String root = dir;
    if (root == null) {
      String out = output;
      while (out.length() > 1 && out.endsWith("/")) {
        out = out.substring(0, out.length() - 1);
      }
      root = out + ".cache";
    }
    return new CacheSpec(root, maxBytes);
  }
}
