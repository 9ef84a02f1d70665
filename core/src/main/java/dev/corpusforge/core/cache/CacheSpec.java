package dev.corpusforge.core.cache;

import dev.corpusforge.core.read.SourceStamp;
import java.io.Serializable;

/**
 * Where a run keeps the results it may reuse in a later run, and how large that store may grow.
 *
 * @param root a local folder or a URI Beam's file systems know ({@code s3://bucket/prefix}),
 *     without a trailing slash
 * @param maxBytes the size {@link CacheEviction} brings the store under when a run ends
 * @param scope the run (a fresh run and its resumptions) whose passing outcomes may be reused, such
 *     as a fetch that timed out: another run tries those again; null for none
 * @param retried reasons whose stored outcomes this run does not take from the cache but computes
 *     again ({@code forge retry}); empty for none
 */
public record CacheSpec(String root, long maxBytes, String scope, java.util.List<String> retried)
    implements Serializable {
  public static final long DEFAULT_MAX_BYTES = 20L << 30;

  public CacheSpec {
    if (root == null || root.isBlank()) {
      throw new IllegalArgumentException("a cache needs a folder");
    }
    if (!SourceStamp.isRemote(root)) {
      root = SourceStamp.localPath(root).toString();
    }
    while (root.length() > 1 && root.endsWith("/")) {
      root = root.substring(0, root.length() - 1);
    }
    retried = retried == null ? java.util.List.of() : java.util.List.copyOf(retried);
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("--cache-max-bytes must be > 0, not " + maxBytes);
    }
  }

  public CacheSpec(String root, long maxBytes) {
    this(root, maxBytes, null, null);
  }

  public CacheSpec(String root, long maxBytes, String scope) {
    this(root, maxBytes, scope, null);
  }

  /** A local folder (no scheme), read and written through {@code java.nio}. */
  public boolean local() {
    return !SourceStamp.isRemote(root);
  }
}
