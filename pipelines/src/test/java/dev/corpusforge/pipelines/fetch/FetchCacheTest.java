package dev.corpusforge.pipelines.fetch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corpusforge.core.cache.CacheSpec;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the fetch cache keeps, for whom, and what a fetcher makes of it. */
class FetchCacheTest {
  @TempDir Path tmp;

  private static final FetchConfig CONFIG =
      FetchConfig.defaults().withAllowedHosts(Set.of("localhost")).withRetries(0, 1);

  @Test
  void bodiesAndLastingFailuresServeEveryRunAndPassingFailuresOnlyTheirOwn() {
    CacheSpec runA = new CacheSpec(tmp.toString(), 1 << 20, "run-a");
    CacheSpec runB = new CacheSpec(tmp.toString(), 1 << 20, "run-b");
    FetchCache a = FetchCache.open(runA);
    a.put(
        "http://h/ok",
        FetchResult.ok(new byte[] {1, 2}, "image/png", "http://h/ok2", Map.of("etag", "\"e\"")),
        CONFIG);
    a.put("http://h/404", FetchResult.failed("fetch_http_404", "HTTP 404 from h"), CONFIG);
    a.put(
        "http://h/slow", FetchResult.failed(FetchReasons.TIMEOUT, "no complete response"), CONFIG);
    a.put("http://h/503", FetchResult.failed("fetch_http_503", "HTTP 503 from h"), CONFIG);
    a.put("http://h/refused", FetchResult.failed(FetchReasons.ADDRESS_REFUSED, "10.0.0.1"), CONFIG);
    a.put("http://h/err", FetchResult.failed(FetchReasons.ERROR, "interrupted"), CONFIG);
    a.put(
        "http://h/private",
        FetchResult.ok(
            new byte[] {3},
            "image/png",
            "http://h/private",
            Map.of("cache_control", "no-cache, No-Store")),
        CONFIG);
    FetchCache b = FetchCache.open(runB);
    for (FetchCache c : new FetchCache[] {a, b}) {
      FetchResult ok = c.get("http://h/ok", CONFIG);
      assertArrayEquals(new byte[] {1, 2}, ok.body());
      assertEquals("image/png", ok.contentType());
      assertEquals("http://h/ok2", ok.finalUrl());
      assertEquals(Map.of("etag", "\"e\""), ok.response());
      assertEquals("fetch_http_404", c.get("http://h/404", CONFIG).reason());
      assertEquals("HTTP 404 from h", c.get("http://h/404", CONFIG).detail());
      assertNull(c.get("http://h/refused", CONFIG), "the guard decides again");
      assertNull(c.get("http://h/err", CONFIG), "an error may be an interrupted run");
      assertNull(c.get("http://h/private", CONFIG), "Cache-Control: no-store");
    }
    assertEquals(FetchReasons.TIMEOUT, a.get("http://h/slow", CONFIG).reason());
    assertEquals("fetch_http_503", a.get("http://h/503", CONFIG).reason());
    assertNull(b.get("http://h/slow", CONFIG), "another run fetches a timeout again");
    assertNull(b.get("http://h/503", CONFIG));
    // fetched with localhost allowed: a run that allows no extra host fetches it itself
    assertNull(a.get("http://h/ok", FetchConfig.defaults()));
  }

  @Test
  void aFetcherAnswersFromTheCacheAsItsSettingsWouldHaveFetched() throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.enqueue(new MockResponse().setBody("0123456789").setHeader("X-Robots-Tag", "noai"));
      server.enqueue(new MockResponse().setResponseCode(500));
      server.start(java.net.InetAddress.getByName("127.0.0.1"), 0);
      String url = "http://localhost:" + server.getPort() + "/a.png";
      CacheSpec spec = new CacheSpec(tmp.toString(), 1 << 20, "run");
      FetchConfig ignoringNoAi =
          new FetchConfig(5000, 1000, 1 << 20, 5, 0, 1, 2, "ua", false, false, Set.of("localhost"));
      try (Fetcher fetcher = new Fetcher(ignoringNoAi, u -> false, spec)) {
        assertTrue(fetcher.fetch(url).ok());
        assertEquals(1, server.getRequestCount());
        assertTrue(fetcher.fetch(url).ok(), "answered from the cache");
        assertEquals(1, server.getRequestCount());
      }
      // a run that honours noai, or takes fewer bytes, rejects the cached body as it would have
      try (Fetcher strict = new Fetcher(CONFIG, u -> false, spec)) {
        FetchResult noai = strict.fetch(url);
        assertEquals(FetchReasons.ROBOTS_NOAI, noai.reason());
        assertEquals("X-Robots-Tag: noai", noai.detail());
      }
      try (Fetcher small = new Fetcher(ignoringNoAi.withLimits(5000, 5), u -> false, spec)) {
        assertEquals(FetchReasons.TOO_LARGE, small.fetch(url).reason());
      }
      assertEquals(1, server.getRequestCount(), "no request for any of them");
      server.takeRequest(1, TimeUnit.SECONDS);
    }
  }
}
