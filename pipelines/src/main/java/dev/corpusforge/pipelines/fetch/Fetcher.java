package dev.corpusforge.pipelines.fetch;

import static dev.corpusforge.pipelines.fetch.FetchReasons.*;

import com.google.common.net.InetAddresses;
import dev.corpusforge.core.cache.CacheCounters;
import dev.corpusforge.core.cache.CacheSpec;
import dev.corpusforge.pipelines.io.Blobs;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.Proxy;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * Fetches one URL with the limits of {@link FetchConfig}: a total deadline per request, a byte cap
 * enforced while reading, redirects followed by hand (each hop re-checked), bounded retries with
 * exponential backoff on 429, 5xx and timeouts, and {@code X-Robots-Tag: noai / noimageai}
 * honoured. Thread-safe; share one per worker.
 */
public final class Fetcher implements AutoCloseable {
  private final FetchConfig config;
  private final AddressGuard guard;
  private final OkHttpClient client;

  /** A URL a redirect must not lead to (the URL blocklist), or none. */
  private final Predicate<String> blocked;

  /** Outcomes kept across runs, or null. */
  private final FetchCache cache;

  /** HTTP requests sent, one per attempt and redirect hop, from whichever thread. */
  private final AtomicLong requests = new AtomicLong();

  private long requestsReported;
  private final CacheCounters cacheCounters;

  public Fetcher(FetchConfig config) {
    this(config, url -> false, null);
  }

  /**
   * A fetcher that follows no redirect to a URL {@code blocked} accepts (such a hop ends the fetch
   * as {@code fetch_redirect_blocklisted}), and answers from {@code cache} (null: none) what an
   * earlier run fetched.
   */
  public Fetcher(FetchConfig config, Predicate<String> blocked, CacheSpec cache) {
    this.config = config;
    this.blocked = blocked;
    this.cache = FetchCache.open(cache);
    this.cacheCounters = this.cache == null ? null : new CacheCounters(this.cache.blobs());
    this.guard = new AddressGuard(config.allowPrivateAddresses(), config.allowedHosts());
    this.client =
        new OkHttpClient.Builder()
            .dns(new GuardedDns(guard))
            .proxy(Proxy.NO_PROXY)
            .followRedirects(false)
            .followSslRedirects(false)
            .retryOnConnectionFailure(false)
            .connectTimeout(Duration.ofMillis(config.connectTimeoutMillis()))
            .readTimeout(Duration.ofMillis(config.deadlineMillis()))
            .callTimeout(Duration.ofMillis(config.deadlineMillis()))
            .build();
    client.dispatcher().setMaxRequests(Math.max(64, config.concurrency()));
    client.dispatcher().setMaxRequestsPerHost(Math.max(5, config.concurrency()));
  }

  /**
   * The body at {@code url}, or why there is none: from the cache when an earlier fetch left a
   * usable outcome there, else fetched (and stored).
   */
  public FetchResult fetch(String url) {
    if (cache != null) {
      FetchResult cached = cache.get(url, config);
      if (cached != null) {
        return checkCached(cached);
      }
    }
    FetchResult fetched = fetchLive(url);
    if (cache != null) {
      cache.put(url, fetched, config);
    }
    return fetched;
  }

  /**
   * Adds to Beam's metrics the requests sent ({@code fetch/requests}) and the cache's counts since
   * the last call: call it on the step's own thread (Beam counts only there).
   */
  public void reportMetrics() {
    long sent = requests.get();
    if (sent > requestsReported) {
      Metrics.counter(FetchImages.STAGE, "requests").inc(sent - requestsReported);
      requestsReported = sent;
    }
    if (cacheCounters != null) {
      cacheCounters.report();
    }
  }

  /** A cached body as this fetcher's settings would have taken it, fetched now. */
  private FetchResult checkCached(FetchResult cached) {
    if (!cached.ok()) {
      return cached;
    }
    String robots = cached.response().get("x_robots_tag");
    if (config.respectNoAi() && robots != null && forbidsAi(List.of(robots))) {
      return FetchResult.failed(ROBOTS_NOAI, "X-Robots-Tag: " + robots);
    }
    if (cached.body().length > config.maxBytes()) {
      return FetchResult.failed(TOO_LARGE, "body exceeds max " + config.maxBytes() + " bytes");
    }
    return cached;
  }

  private FetchResult fetchLive(String url) {
    Backoff.Outcome<FetchResult> outcome =
        Backoff.run(
            config.retries(), config.backoffMillis(), url.hashCode(), n -> attemptOnce(url));
    if (outcome.interrupted()) {
      return FetchResult.failed(ERROR, "interrupted while waiting to retry");
    }
    FetchResult last = outcome.result();
    return outcome.exhausted()
        ? FetchResult.failed(
            last.reason(), last.detail() + " (after " + outcome.attempts() + " attempts)")
        : last;
  }

  private Backoff.Attempt<FetchResult> attemptOnce(String url) {
    HttpUrl current = HttpUrl.parse(url);
    if (current == null) {
      return Backoff.Attempt.done(
          FetchResult.failed(BAD_URL, "not an http(s) URL: " + shorten(url)));
    }
    for (int hop = 0; ; hop++) {
      String refusal = checkLiteral(current);
      if (refusal != null) {
        return Backoff.Attempt.done(
            FetchResult.failed(ADDRESS_REFUSED, (hop > 0 ? "redirect to " : "") + refusal));
      }
      Request request =
          new Request.Builder().url(current).header("User-Agent", config.userAgent()).get().build();
      Call call = client.newCall(request);
      requests.incrementAndGet();
      try (Response response = call.execute()) {
        int code = response.code();
        if (response.isRedirect()) {
          String location = response.header("Location");
          HttpUrl next = location == null ? null : current.resolve(location);
          if (next == null) {
            return Backoff.Attempt.done(
                FetchResult.failed(
                    BAD_URL,
                    "redirect "
                        + code
                        + " without a usable Location: "
                        + shorten(String.valueOf(location))));
          }
          if (blocked.test(next.toString())) {
            return Backoff.Attempt.done(
                FetchResult.failed(
                    REDIRECT_BLOCKLISTED, "redirect " + code + " to a URL on --blocklist-urls"));
          }
          if (hop + 1 > config.maxRedirects()) {
            return Backoff.Attempt.done(
                FetchResult.failed(
                    TOO_MANY_REDIRECTS, "more than " + config.maxRedirects() + " redirects"));
          }
          current = next;
          continue;
        }
        if (code == 429 || code >= 500) {
          return Backoff.Attempt.retry(
              FetchResult.failed(HTTP_PREFIX + code, "HTTP " + code + " from " + current.host()),
              0);
        }
        if (code >= 300) {
          return Backoff.Attempt.done(
              FetchResult.failed(
                  HTTP_PREFIX + code,
                  "HTTP " + code + " from " + current.host(),
                  forCache(response)));
        }
        if (config.respectNoAi() && forbidsAi(response.headers("X-Robots-Tag"))) {
          return Backoff.Attempt.done(
              FetchResult.failed(
                  ROBOTS_NOAI,
                  "X-Robots-Tag: " + String.join(", ", response.headers("X-Robots-Tag"))));
        }
        ResponseBody body = response.body();
        if (body == null) {
          return Backoff.Attempt.done(FetchResult.failed(ERROR, "response without a body"));
        }
        long declared = body.contentLength();
        if (declared > config.maxBytes()) {
          return Backoff.Attempt.done(
              FetchResult.failed(
                  TOO_LARGE, "Content-Length " + declared + " > max " + config.maxBytes()));
        }
        byte[] bytes = Blobs.readCapped(body.byteStream(), config.maxBytes());
        if (bytes == null) {
          return Backoff.Attempt.done(
              FetchResult.failed(TOO_LARGE, "body exceeds max " + config.maxBytes() + " bytes"));
        }
        String type = body.contentType() == null ? null : body.contentType().toString();
        return Backoff.Attempt.done(
            FetchResult.ok(bytes, type, current.toString(), forCache(response)));
      } catch (GuardedDns.RefusedAddressException e) {
        return Backoff.Attempt.done(
            FetchResult.failed(ADDRESS_REFUSED, (hop > 0 ? "redirect: " : "") + e.getMessage()));
      } catch (UnknownHostException e) {
        return Backoff.Attempt.done(
            FetchResult.failed(DNS_FAILED, "cannot resolve " + current.host()));
      } catch (InterruptedIOException e) {
        return Backoff.Attempt.retry(
            FetchResult.failed(
                TIMEOUT, "no complete response within " + config.deadlineMillis() + " ms"),
            0);
      } catch (ConnectException e) {
        return Backoff.Attempt.done(FetchResult.failed(CONNECT_FAILED, e.getMessage()));
      } catch (IOException e) {
        if (call.isCanceled()) {
          return Backoff.Attempt.retry(
              FetchResult.failed(
                  TIMEOUT, "no complete response within " + config.deadlineMillis() + " ms"),
              0);
        }
        // a connection the server closed mid-exchange (a kept-alive one it dropped, say): the
        // next attempt opens a new one
        return Backoff.Attempt.retry(
            FetchResult.failed(ERROR, e.getClass().getSimpleName() + ": " + e.getMessage()), 0);
      }
    }
  }

  /** For a URL whose host is an IP literal (no DNS involved), the guard's refusal; else null. */
  private String checkLiteral(HttpUrl url) {
    String host = url.host();
    if (!InetAddresses.isInetAddress(host) || guard.allowsHost(host)) {
      return null;
    }
    return guard.refusal(InetAddresses.forString(host));
  }

  /** What a cache keeps of a response's headers, under lower-case names. */
  private static Map<String, String> forCache(Response response) {
    Map<String, String> kept = new HashMap<>();
    for (String name : List.of("ETag", "Last-Modified", "Cache-Control")) {
      String value = response.header(name);
      if (value != null) {
        kept.put(name.toLowerCase(Locale.ROOT).replace('-', '_'), value);
      }
    }
    List<String> robots = response.headers("X-Robots-Tag");
    if (!robots.isEmpty()) {
      kept.put("x_robots_tag", String.join(", ", robots));
    }
    return kept;
  }

  static boolean forbidsAi(List<String> robotsTags) {
    for (String value : robotsTags) {
      for (String token : value.toLowerCase(Locale.ROOT).split("[,:\\s]+")) {
        if (token.equals("noai") || token.equals("noimageai")) {
          return true;
        }
      }
    }
    return false;
  }

  private static String shorten(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "…";
  }

  @Override
  public void close() {
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }
}
