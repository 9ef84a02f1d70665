package dev.corpusforge.pipelines.fetch;

import static dev.corpusforge.pipelines.fetch.FetchReasons.*;

import com.google.common.net.InetAddresses;
import dev.corpusforge.pipelines.io.Blobs;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.Proxy;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

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

  public Fetcher(FetchConfig config) {
    this.config = config;
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

  public FetchResult fetch(String url) {
    SplittableRandom jitter = new SplittableRandom(url.hashCode());
    FetchResult last = null;
    for (int attempt = 0; attempt <= config.retries(); attempt++) {
      if (attempt > 0) {
        long wait = config.backoffMillis() * (1L << Math.min(attempt - 1, 10));
        wait += jitter.nextLong(Math.max(1, config.backoffMillis() / 2 + 1));
        if (!sleep(wait)) {
          return FetchResult.failed(ERROR, "interrupted while waiting to retry");
        }
      }
      Attempt result = attemptOnce(url);
      last = result.result;
      if (!result.retryable) {
        return last;
      }
    }
    return FetchResult.failed(last.reason(), last.detail() + " (after " + (config.retries() + 1) + " attempts)");
  }

  private record Attempt(FetchResult result, boolean retryable) {}

  private Attempt attemptOnce(String url) {
    HttpUrl current = HttpUrl.parse(url);
    if (current == null) {
      return new Attempt(FetchResult.failed(BAD_URL, "not an http(s) URL: " + shorten(url)), false);
    }
    for (int hop = 0; ; hop++) {
      String refusal = checkLiteral(current);
      if (refusal != null) {
        return new Attempt(FetchResult.failed(ADDRESS_REFUSED, (hop > 0 ? "redirect to " : "") + refusal), false);
      }
      Request request = new Request.Builder().url(current).header("User-Agent", config.userAgent()).get().build();
      Call call = client.newCall(request);
      try (Response response = call.execute()) {
        int code = response.code();
        if (response.isRedirect()) {
          String location = response.header("Location");
          HttpUrl next = location == null ? null : current.resolve(location);
          if (next == null) {
            return new Attempt(FetchResult.failed(BAD_URL, "redirect " + code + " without a usable Location: " + shorten(String.valueOf(location))), false);
          }
          if (hop + 1 > config.maxRedirects()) {
            return new Attempt(FetchResult.failed(TOO_MANY_REDIRECTS, "more than " + config.maxRedirects() + " redirects"), false);
          }
          current = next;
          continue;
        }
        if (code == 429 || code >= 500) {
          return new Attempt(FetchResult.failed(HTTP_PREFIX + code, "HTTP " + code + " from " + current.host()), true);
        }
        if (code >= 300) {
          return new Attempt(FetchResult.failed(HTTP_PREFIX + code, "HTTP " + code + " from " + current.host()), false);
        }
        if (config.respectNoAi() && forbidsAi(response)) {
          return new Attempt(FetchResult.failed(ROBOTS_NOAI, "X-Robots-Tag: " + String.join(", ", response.headers("X-Robots-Tag"))), false);
        }
        ResponseBody body = response.body();
        if (body == null) {
          return new Attempt(FetchResult.failed(ERROR, "response without a body"), false);
        }
        long declared = body.contentLength();
        if (declared > config.maxBytes()) {
          return new Attempt(FetchResult.failed(TOO_LARGE, "Content-Length " + declared + " > max " + config.maxBytes()), false);
        }
        byte[] bytes = Blobs.readCapped(body.byteStream(), config.maxBytes());
        if (bytes == null) {
          return new Attempt(FetchResult.failed(TOO_LARGE, "body exceeds max " + config.maxBytes() + " bytes"), false);
        }
        String type = body.contentType() == null ? null : body.contentType().toString();
        return new Attempt(FetchResult.ok(bytes, type, current.toString()), false);
      } catch (GuardedDns.RefusedAddressException e) {
        return new Attempt(FetchResult.failed(ADDRESS_REFUSED, (hop > 0 ? "redirect: " : "") + e.getMessage()), false);
      } catch (UnknownHostException e) {
        return new Attempt(FetchResult.failed(DNS_FAILED, "cannot resolve " + current.host()), false);
      } catch (InterruptedIOException e) {
        return new Attempt(FetchResult.failed(TIMEOUT, "no complete response within " + config.deadlineMillis() + " ms"), true);
      } catch (ConnectException e) {
        return new Attempt(FetchResult.failed(CONNECT_FAILED, e.getMessage()), false);
      } catch (IOException e) {
        if (call.isCanceled()) {
          return new Attempt(FetchResult.failed(TIMEOUT, "no complete response within " + config.deadlineMillis() + " ms"), true);
        }
        return new Attempt(FetchResult.failed(ERROR, e.getClass().getSimpleName() + ": " + e.getMessage()), false);
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

  static boolean forbidsAi(Response response) {
    for (String value : response.headers("X-Robots-Tag")) {
      for (String token : value.toLowerCase(Locale.ROOT).split("[,:\\s]+")) {
        if (token.equals("noai") || token.equals("noimageai")) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean sleep(long millis) {
    try {
      TimeUnit.MILLISECONDS.sleep(millis);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
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
