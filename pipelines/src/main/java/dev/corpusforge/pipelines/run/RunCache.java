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
 * @param scope the run whose passing outcomes are reused ({@code forge retry} and {@code forge
 *     merge} run in the scope of the run they retry), or null for this run's own
 * @param retried reasons whose cached outcomes this run computes again ({@code forge retry})
 */
public record RunCache(
    String dir, long maxBytes, boolean off, String scope, java.util.List<String> retried) {
  public static final RunCache DEFAULT = new RunCache(null, CacheSpec.DEFAULT_MAX_BYTES, false);
  public static final RunCache NONE = new RunCache(null, CacheSpec.DEFAULT_MAX_BYTES, true);

  public RunCache(String dir, long maxBytes, boolean off) {
    this(dir, maxBytes, off, null, null);
  }

  public RunCache {
    if (off && dir != null) {
      throw new IllegalArgumentException("--cache and --no-cache exclude each other");
    }
    retried = retried == null ? java.util.List.of() : java.util.List.copyOf(retried);
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("--cache-max-bytes must be > 0, not " + maxBytes);
    }
  }

  /**
   * The cache of a run writing to {@code output}, or null for none; passing outcomes kept for
   * {@code runScope} unless this cache names a scope of its own.
   */
  public CacheSpec spec(String output, String runScope) {
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
    return new CacheSpec(root, maxBytes, scope != null ? scope : runScope, retried);
  }
}
