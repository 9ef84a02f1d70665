package dev.corpusforge.pipelines.fetch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.SocketPolicy;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fetcher against HTTP servers on 127.0.0.1. The server is reached as "localhost", which the
 * tests allow by name; every other private address stays refused, so redirects to 127.0.0.1 or
 * 169.254.169.254 are refused before any connection is opened.
 */
class FetcherTest {
  private MockWebServer server;
  private MockWebServer other;

  private static final FetchConfig BASE =
      FetchConfig.defaults()
          .withAllowedHosts(Set.of("localhost"))
          .withRetries(2, 10)
          .withLimits(2_000, 10_000);

  @BeforeEach
  void start() throws IOException {
    server = new MockWebServer();
    server.start(InetAddress.getByName("127.0.0.1"), 0);
    other = new MockWebServer();
    other.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void stop() throws IOException {
    server.shutdown();
    other.shutdown();
  }

  private String url(String path) {
    return "http://localhost:" + server.getPort() + path;
  }

  private FetchResult fetch(FetchConfig config, String path) {
    try (Fetcher fetcher = new Fetcher(config)) {
      return fetcher.fetch(url(path));
    }
  }

  @Test
  void fetchesABody() {
    server.enqueue(new MockResponse().setBody("png bytes").setHeader("Content-Type", "image/png"));
    FetchResult r = fetch(BASE, "/a.png");
    assertTrue(r.ok(), r.toString());
    assertArrayEquals("png bytes".getBytes(), r.body());
  }

  @Test
  void notFoundIsNotRetried() {
    server.enqueue(new MockResponse().setResponseCode(404));
    FetchResult r = fetch(BASE, "/missing.jpg");
    assertEquals("fetch_http_404", r.reason());
    assertEquals(1, server.getRequestCount());
  }

  @Test
  void serverErrorsAreRetriedThenReported() {
    for (int i = 0; i < 3; i++) {
      server.enqueue(new MockResponse().setResponseCode(500));
    }
    FetchResult r = fetch(BASE, "/broken.jpg");
    assertEquals("fetch_http_500", r.reason());
    assertTrue(r.detail().contains("after 3 attempts"), r.detail());
    assertEquals(3, server.getRequestCount());
  }

  @Test
  void aRetryCanSucceed() {
    server.enqueue(new MockResponse().setResponseCode(429));
    server.enqueue(new MockResponse().setBody("ok"));
    assertTrue(fetch(BASE, "/flaky.jpg").ok());
    assertEquals(2, server.getRequestCount());
  }

  @Test
  void slowServerHitsTheTotalDeadline() {
    // headers arrive at once, the body trickles: a socket timeout alone would never fire
    for (int i = 0; i < 3; i++) {
      server.enqueue(
          new MockResponse()
              .setBody(new Buffer().write(new byte[4000]))
              .throttleBody(100, 300, TimeUnit.MILLISECONDS));
    }
    FetchResult r = fetch(BASE.withRetries(0, 10).withLimits(1_000, 100_000), "/slow.jpg");
    assertEquals(FetchReasons.TIMEOUT, r.reason());
  }

  @Test
  void endlessBodyIsCutAtTheByteCap() {
    server.enqueue(
        new MockResponse()
            .setBody(new Buffer().write(new byte[50_000]))
            .removeHeader("Content-Length")
            .setChunkedBody(new Buffer().write(new byte[50_000]), 1000));
    FetchResult r = fetch(BASE, "/endless.jpg");
    assertEquals(FetchReasons.TOO_LARGE, r.reason());
    assertNull(r.body());
  }

  @Test
  void declaredLengthOverTheCapIsRefusedBeforeReading() {
    server.enqueue(new MockResponse().setBody(new Buffer().write(new byte[20_000])));
    assertEquals(FetchReasons.TOO_LARGE, fetch(BASE, "/big.jpg").reason());
  }

  @Test
  void noAiHeaderIsHonoured() {
    server.enqueue(
        new MockResponse().setBody("x").setHeader("X-Robots-Tag", "otherbot: noindex, noimageai"));
    assertEquals(FetchReasons.ROBOTS_NOAI, fetch(BASE, "/private-art.jpg").reason());
  }

  @Test
  void redirectToCloudMetadataIsRefusedWithoutConnecting() {
    server.enqueue(
        new MockResponse()
            .setResponseCode(302)
            .setHeader("Location", "http://169.254.169.254/latest/meta-data/"));
    FetchResult r = fetch(BASE, "/r");
    assertEquals(FetchReasons.ADDRESS_REFUSED, r.reason());
    assertTrue(r.detail().contains("169.254.169.254"), r.detail());
  }

  @Test
  void redirectToLoopbackIsRefusedUnlessPrivateAddressesAreAllowed() {
    String target = "http://127.0.0.1:" + other.getPort() + "/img.jpg";
    server.enqueue(new MockResponse().setResponseCode(301).setHeader("Location", target));
    assertEquals(FetchReasons.ADDRESS_REFUSED, fetch(BASE, "/r").reason());
    assertEquals(0, other.getRequestCount());

    server.enqueue(new MockResponse().setResponseCode(301).setHeader("Location", target));
    other.enqueue(new MockResponse().setBody("image"));
    FetchResult allowed = fetch(BASE.withAllowPrivateAddresses(true), "/r");
    assertTrue(allowed.ok(), allowed.toString());
    assertEquals(1, other.getRequestCount());
  }

  @Test
  void loopbackByNameIsRefusedByDefault() {
    FetchConfig strict = FetchConfig.defaults().withRetries(0, 10);
    try (Fetcher fetcher = new Fetcher(strict)) {
      FetchResult r = fetcher.fetch("http://localhost:" + server.getPort() + "/a.jpg");
      assertEquals(FetchReasons.ADDRESS_REFUSED, r.reason());
    }
    assertEquals(0, server.getRequestCount());
  }

  @Test
  void tooManyRedirects() {
    for (int i = 0; i < 10; i++) {
      server.enqueue(new MockResponse().setResponseCode(302).setHeader("Location", "/next" + i));
    }
    assertEquals(FetchReasons.TOO_MANY_REDIRECTS, fetch(BASE, "/loop").reason());
  }

  @Test
  void droppedConnectionAndBadUrl() {
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AT_START));
    FetchResult dropped = fetch(BASE.withRetries(0, 10), "/drop");
    assertEquals(FetchReasons.ERROR, dropped.reason(), dropped.toString());
    assertTrue(dropped.detail().contains("IOException"), dropped.detail());
    // a dropped connection is retried on a new one
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AT_START));
    server.enqueue(new MockResponse().setBody("image bytes"));
    FetchResult retried = fetch(BASE.withRetries(1, 10), "/drop-once");
    assertTrue(retried.ok(), retried.toString());
    assertEquals(
        "image bytes", new String(retried.body(), java.nio.charset.StandardCharsets.UTF_8));
    try (Fetcher fetcher = new Fetcher(BASE)) {
      assertEquals(FetchReasons.BAD_URL, fetcher.fetch("ftp://example.org/a.jpg").reason());
      assertEquals(FetchReasons.BAD_URL, fetcher.fetch("not a url").reason());
    }
  }
}
