package dev.corpusforge.pipelines.fetch;

import dev.corpusforge.core.cache.BlobCache;
import dev.corpusforge.core.cache.CacheSpec;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Fetch outcomes kept across runs, by URL ({@link BlobCache} namespace {@value #NAMESPACE}):
 *
 * <ul>
 *   <li>each body, with its content type, final URL and the response's validators ({@code ETag},
 *       {@code Last-Modified}), {@code Cache-Control} and {@code X-Robots-Tag};
 *   <li>lasting failures (an HTTP 4xx other than 408 and 429: the same request gets the same
 *       answer), with their reason and detail, for every later run;
 *   <li>passing failures (timeouts, 429, 5xx, refused connections, bodies over the cap), for the
 *       run that met them only ({@link CacheSpec#scope}): its resumption reuses them, so that it
 *       ends as the uninterrupted run would have; any other run fetches them again.
 * </ul>
 *
 * A response that says {@code Cache-Control: no-store} is never stored, nor the address guard's and
 * the blocklist's decisions, which cost no request and follow the run's flags.
 */
final class FetchCache {
  static final String NAMESPACE = "fetch";

  /** Entry strings of the fetch itself; the response's own are stored under their names. */
  private static final String REASON = "reason";

  private static final String DETAIL = "detail";
  private static final String CONTENT_TYPE = "content_type";
  private static final String FINAL_URL = "final_url";

  /** Present when the fetch was made with private addresses or extra hosts allowed. */
  private static final String UNGUARDED = "unguarded";

  /** The run a passing failure is kept for. */
  private static final String SCOPE = "scope";

  private final BlobCache blobs;
  private final String scope;
  private final java.util.List<String> retried;

  private FetchCache(BlobCache blobs, String scope, java.util.List<String> retried) {
    this.blobs = blobs;
    this.scope = scope;
    this.retried = retried;
  }

  BlobCache blobs() {
    return blobs;
  }

  /** The fetch cache of {@code spec}, or null for none. */
  static FetchCache open(CacheSpec spec) {
    return spec == null
        ? null
        : new FetchCache(BlobCache.open(spec, NAMESPACE), spec.scope(), spec.retried());
  }

  /**
   * The stored outcome of fetching {@code url}, or null. An entry fetched with addresses allowed
   * that {@code config} refuses is not used: the guard decides again on a fresh fetch; nor a
   * failure whose reason this run retries.
   */
  FetchResult get(String url, FetchConfig config) {
    Optional<BlobCache.Entry> hit = blobs.get(url, e -> usable(e.meta(), config));
    if (hit.isEmpty()) {
      return null;
    }
    Map<String, String> meta = new HashMap<>(hit.get().meta());
    meta.remove(UNGUARDED);
    meta.remove(SCOPE);
    String reason = meta.remove(REASON);
    String detail = meta.remove(DETAIL);
    String type = meta.remove(CONTENT_TYPE);
    String finalUrl = meta.remove(FINAL_URL);
    return reason != null
        ? FetchResult.failed(reason, detail, meta)
        : FetchResult.ok(hit.get().payload(), type, finalUrl, meta);
  }

  /**
   * Whether this run may take an entry: not one fetched with addresses allowed that {@code config}
   * refuses, nor another run's passing failure, nor a failure whose reason this run retries.
   */
  private boolean usable(Map<String, String> meta, FetchConfig config) {
    if (meta.containsKey(UNGUARDED) && !unguarded(config)) {
      return false;
    }
    String keptFor = meta.get(SCOPE);
    if (keptFor != null && !keptFor.equals(scope)) {
      return false;
    }
    return !retried.contains(meta.getOrDefault(REASON, ""));
  }

  /** Stores what {@code result} may be reused as; nothing for a response that forbids it. */
  void put(String url, FetchResult result, FetchConfig config) {
    String cacheControl = result.response().getOrDefault("cache_control", "");
    if (cacheControl.toLowerCase(java.util.Locale.ROOT).contains("no-store")) {
      return;
    }
    Map<String, String> meta = new HashMap<>(result.response());
    if (unguarded(config)) {
      meta.put(UNGUARDED, "true");
    }
    if (result.ok()) {
      if (result.contentType() != null) {
        meta.put(CONTENT_TYPE, result.contentType());
      }
      meta.put(FINAL_URL, result.finalUrl());
      blobs.put(url, meta, result.body());
    } else if (lasting(result.reason()) || (scope != null && passing(result.reason()))) {
      if (!lasting(result.reason())) {
        meta.put(SCOPE, scope);
      }
      meta.put(REASON, result.reason());
      meta.put(DETAIL, result.detail());
      blobs.put(url, meta, new byte[0]);
    }
  }

  /**
   * A failure that cost a request and may not recur: kept for the run's resumption only. Not the
   * guard's or the blocklist's decisions (no request), nor {@code fetch_error} (also an interrupted
   * wait when a run is stopped).
   */
  static boolean passing(String reason) {
    return reason.startsWith(FetchReasons.HTTP_PREFIX)
        || switch (reason) {
          case FetchReasons.TIMEOUT,
              FetchReasons.CONNECT_FAILED,
              FetchReasons.DNS_FAILED,
              FetchReasons.TOO_LARGE,
              FetchReasons.TOO_MANY_REDIRECTS,
              FetchReasons.ROBOTS_NOAI ->
              true;
          default -> false;
        };
  }

  /** An HTTP status the same request would get again: 4xx but 408 (timeout) and 429 (too many). */
  static boolean lasting(String reason) {
    if (reason == null || !reason.startsWith(FetchReasons.HTTP_PREFIX)) {
      return false;
    }
    try {
      int code = Integer.parseInt(reason.substring(FetchReasons.HTTP_PREFIX.length()));
      return code >= 400 && code < 500 && code != 408 && code != 429;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static boolean unguarded(FetchConfig config) {
    return config.allowPrivateAddresses() || !config.allowedHosts().isEmpty();
  }
}
