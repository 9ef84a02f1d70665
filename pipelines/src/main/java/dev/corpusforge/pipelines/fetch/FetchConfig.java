package dev.corpusforge.pipelines.fetch;

import java.io.Serializable;

/**
 * Settings of the URL fetcher.
 *
 * @param deadlineMillis total time for one request: DNS, connect, headers and the whole body
 * @param connectTimeoutMillis time to establish a connection
 * @param maxBytes largest body accepted; enforced while reading
 * @param maxRedirects most redirects followed, each re-checked by the address guard
 * @param retries extra attempts after a 429, a 5xx or a timeout
 * @param backoffMillis first wait before a retry; doubled each time, plus jitter seeded by the URL
 * @param concurrency requests in flight at once per worker
 * @param userAgent the User-Agent header
 * @param respectNoAi drop images whose response carries {@code X-Robots-Tag: noai} or {@code
 *     noimageai}
 * @param allowPrivateAddresses allow loopback, private and link-local addresses (off by default)
 * @param allowedHosts host names or IP literals always allowed, whatever they resolve to (an
 *     internal image mirror, say), without opening every private address
 */
public record FetchConfig(
    long deadlineMillis,
    long connectTimeoutMillis,
    long maxBytes,
    int maxRedirects,
    int retries,
    long backoffMillis,
    int concurrency,
    String userAgent,
    boolean respectNoAi,
    boolean allowPrivateAddresses,
    java.util.Set<String> allowedHosts)
    implements Serializable {
  public static final String DEFAULT_USER_AGENT =
      "corpusforge/0.1 (+image-text dataset builder; honours X-Robots-Tag noai)";

  public static final long DEFAULT_DEADLINE_MILLIS = 20_000;
  public static final long DEFAULT_CONNECT_TIMEOUT_MILLIS = 5_000;
  public static final int DEFAULT_MAX_REDIRECTS = 5;
  public static final int DEFAULT_RETRIES = 2;
  public static final long DEFAULT_BACKOFF_MILLIS = 500;
  public static final int DEFAULT_CONCURRENCY = 16;

  public static FetchConfig defaults() {
    return new FetchConfig(
        DEFAULT_DEADLINE_MILLIS,
        DEFAULT_CONNECT_TIMEOUT_MILLIS,
        32L << 20,
        DEFAULT_MAX_REDIRECTS,
        DEFAULT_RETRIES,
        DEFAULT_BACKOFF_MILLIS,
        DEFAULT_CONCURRENCY,
        DEFAULT_USER_AGENT,
        true,
        false,
        java.util.Set.of());
  }

  public FetchConfig {
    allowedHosts = java.util.Set.copyOf(new java.util.TreeSet<>(allowedHosts));
    if (deadlineMillis <= 0 || connectTimeoutMillis <= 0) {
      throw new IllegalArgumentException("fetch deadline and connect timeout must be > 0");
    }
    if (maxBytes <= 0 || maxRedirects < 0 || retries < 0 || backoffMillis < 0 || concurrency < 1) {
      throw new IllegalArgumentException("fetch settings out of range: " + this);
    }
  }

  public FetchConfig withAllowPrivateAddresses(boolean allow) {
    return new FetchConfig(
        deadlineMillis,
        connectTimeoutMillis,
        maxBytes,
        maxRedirects,
        retries,
        backoffMillis,
        concurrency,
        userAgent,
        respectNoAi,
        allow,
        allowedHosts);
  }

  public FetchConfig withAllowedHosts(java.util.Set<String> hosts) {
    return new FetchConfig(
        deadlineMillis,
        connectTimeoutMillis,
        maxBytes,
        maxRedirects,
        retries,
        backoffMillis,
        concurrency,
        userAgent,
        respectNoAi,
        allowPrivateAddresses,
        hosts);
  }

  public FetchConfig withRetries(int retries, long backoffMillis) {
    return new FetchConfig(
        deadlineMillis,
        connectTimeoutMillis,
        maxBytes,
        maxRedirects,
        retries,
        backoffMillis,
        concurrency,
        userAgent,
        respectNoAi,
        allowPrivateAddresses,
        allowedHosts);
  }

  public FetchConfig withLimits(long deadlineMillis, long maxBytes) {
    return new FetchConfig(
        deadlineMillis,
        connectTimeoutMillis,
        maxBytes,
        maxRedirects,
        retries,
        backoffMillis,
        concurrency,
        userAgent,
        respectNoAi,
        allowPrivateAddresses,
        allowedHosts);
  }
}
