package dev.corpusforge.pipelines.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chat-completions client against a server on 127.0.0.1 that answers as told. */
class ChatClientTest {
  private static final String OK =
      "{\"choices\": [{\"message\": {\"role\": \"assistant\", \"content\": \"A summary.\"}}]}";

  @TempDir Path tmp;

  private MockWebServer server;

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void stop() throws Exception {
    server.shutdown();
  }

  private ChatClient client(long timeoutMillis, int retries, String cache) {
    return new ChatClient(
        new LlmConfig(
            server.url("/v1").toString(),
            "test-model",
            "PATH",
            0.8,
            0.95,
            512,
            2,
            timeoutMillis,
            retries,
            10,
            cache));
  }

  @Test
  void aTooManyRequestsIsRetriedAndTheRequestIsOpenAiShaped() throws Exception {
    server.enqueue(new MockResponse().setResponseCode(429).setHeader("Retry-After", "0"));
    server.enqueue(new MockResponse().setBody(OK));
    ChatClient.Answer a = client(5000, 2, null).ask("Summarise this graph.");
    assertEquals("A summary.", a.text());
    assertNull(a.reason());
    assertEquals(2, server.getRequestCount());
    server.takeRequest();
    RecordedRequest r = server.takeRequest();
    assertEquals("/v1/chat/completions", r.getPath());
    assertEquals("Bearer " + System.getenv("PATH").strip(), r.getHeader("Authorization"));
    String body = r.getBody().readUtf8();
    assertTrue(
        body.contains("\"model\":\"test-model\"")
            && body.contains("\"content\":\"Summarise this graph.\"")
            && body.contains("\"top_p\":0.95"),
        body);
  }

  @Test
  void slowServerErrorsGarbageAndADeadEndpointAreEachTheirOwnReason() throws Exception {
    server.enqueue(new MockResponse().setBody(OK).setHeadersDelay(2, TimeUnit.SECONDS));
    server.enqueue(new MockResponse().setBody(OK).setHeadersDelay(2, TimeUnit.SECONDS));
    ChatClient.Answer slow = client(300, 1, null).ask("p");
    assertEquals(ChatClient.TIMEOUT, slow.reason());
    assertTrue(slow.detail().contains("after 2 attempts"), slow.detail());

    server.enqueue(new MockResponse().setResponseCode(500));
    server.enqueue(new MockResponse().setResponseCode(503));
    assertEquals("llm_http_503", client(5000, 1, null).ask("p").reason());

    server.enqueue(new MockResponse().setBody("<html>not json</html>"));
    assertEquals(ChatClient.BAD_RESPONSE, client(5000, 3, null).ask("p").reason());
    server.enqueue(new MockResponse().setBody("{\"choices\": []}"));
    assertEquals(ChatClient.BAD_RESPONSE, client(5000, 3, null).ask("p").reason());
    server.enqueue(new MockResponse().setResponseCode(400));
    assertEquals("llm_http_400", client(5000, 3, null).ask("p").reason(), "a 400 is not retried");

    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = s.getLocalPort();
    }
    ChatClient down =
        new ChatClient(
            new LlmConfig(
                "http://127.0.0.1:" + port + "/v1",
                "m",
                "NO_SUCH_KEY_VARIABLE",
                0.8,
                0.95,
                512,
                1,
                2000,
                1,
                10,
                null));
    assertEquals(ChatClient.UNREACHABLE, down.ask("p").reason());
  }

  @Test
  void aCachedAnswerIsNeverAskedForAgain() throws Exception {
    server.enqueue(new MockResponse().setBody(OK));
    String cache = tmp.resolve("cache").toString();
    ChatClient.Answer first = client(5000, 0, cache).ask("the same prompt");
    assertFalse(first.cached());
    ChatClient.Answer again = client(5000, 0, cache).ask("the same prompt");
    assertTrue(again.cached());
    assertEquals(first.text(), again.text());
    assertEquals(1, server.getRequestCount());
    // a failed answer is not cached: asked again
    server.enqueue(new MockResponse().setBody("garbage"));
    server.enqueue(new MockResponse().setBody(OK));
    assertEquals(ChatClient.BAD_RESPONSE, client(5000, 0, cache).ask("another").reason());
    assertEquals("A summary.", client(5000, 0, cache).ask("another").text());
    assertEquals(3, server.getRequestCount());
  }
}
