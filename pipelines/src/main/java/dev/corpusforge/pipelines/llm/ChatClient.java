package dev.corpusforge.pipelines.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corpusforge.pipelines.fetch.Backoff;
import dev.corpusforge.pipelines.run.OutputFiles;
import dev.corpusforge.schemas.SampleIds;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MoveOptions;

/**
 * Asks an OpenAI-compatible chat-completions endpoint for one answer per prompt, with a per-request
 * deadline, retries with backoff on 429, 5xx, timeouts and refused connections (honouring {@code
 * Retry-After}), and a cache of answers keyed by the hash of the request body ({@link SampleIds}):
 * an answer already in the cache is never asked for again, so a re-run after a crash pays only for
 * what it had not got. An answer is cached only when it is usable. Thread-safe.
 */
public final class ChatClient {
  public static final String TIMEOUT = "llm_timeout";
  public static final String UNREACHABLE = "llm_unreachable";
  public static final String BAD_RESPONSE = "llm_bad_response";
  public static final String HTTP_PREFIX = "llm_http_";
  private static final MediaType JSON_TYPE = MediaType.get("application/json");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_ANSWER_BYTES = 1 << 20;

  /** An answer, or why there is none ({@code reason} null when {@code text} is the answer). */
  public record Answer(String text, String reason, String detail, boolean cached) {
    public static Answer failed(String reason, String detail) {
      return new Answer(null, reason, detail, false);
    }
  }

  private final LlmConfig config;
  private final OkHttpClient http;
  private final String apiKey;

  public ChatClient(LlmConfig config) {
    this.config = config;
    this.http =
        new OkHttpClient.Builder()
            .retryOnConnectionFailure(false)
            .connectTimeout(Duration.ofMillis(Math.min(config.timeoutMillis(), 10_000)))
            .readTimeout(Duration.ofMillis(config.timeoutMillis()))
            .callTimeout(Duration.ofMillis(config.timeoutMillis()))
            .build();
    http.dispatcher().setMaxRequests(config.concurrency());
    http.dispatcher().setMaxRequestsPerHost(config.concurrency());
    String key = System.getenv(config.apiKeyEnv());
    this.apiKey = key == null || key.isBlank() ? null : key.strip();
  }

  /** The request body for a prompt: also what the cache key hashes. */
  public String body(String prompt) {
    return body(prompt, null);
  }

  /**
   * The request body for a prompt about an image ({@code imageUrl}: an http(s) or {@code data:}
   * URL, or null for text only), in the OpenAI vision message format: the user content is a text
   * part and an {@code image_url} part.
   */
  public String body(String prompt, String imageUrl) {
    return body(null, List.of(), prompt, imageUrl);
  }

  /**
   * A worked example shown before the question: a user turn ({@code prompt} and the image at {@code
   * imageUrl}) and the assistant's {@code answer}.
   */
  public record Shot(String prompt, String imageUrl, String answer) {}

  /**
   * The request body of a few-shot question: a {@code system} message (when not null), each shot's
   * user and assistant turns in order, then the question about {@code imageUrl} as its own user
   * turn; every image in the OpenAI vision message format.
   */
  public String body(String system, List<Shot> shots, String prompt, String imageUrl) {
    ObjectNode body =
        JSON.createObjectNode()
            .put("model", config.model())
            .put("temperature", config.temperature())
            .put("top_p", config.topP())
            .put("max_tokens", config.maxTokens());
    ArrayNode messages = body.putArray("messages");
    if (system != null) {
      messages.addObject().put("role", "system").put("content", system);
    }
    for (Shot shot : shots) {
      userTurn(messages, shot.prompt(), shot.imageUrl());
      messages.addObject().put("role", "assistant").put("content", shot.answer());
    }
    userTurn(messages, prompt, imageUrl);
    return body.toString();
  }

  private static void userTurn(ArrayNode messages, String prompt, String imageUrl) {
    ObjectNode message = messages.addObject().put("role", "user");
    if (imageUrl == null) {
      message.put("content", prompt);
    } else {
      ArrayNode content = message.putArray("content");
      content.addObject().put("type", "text").put("text", prompt);
      content.addObject().put("type", "image_url").putObject("image_url").put("url", imageUrl);
    }
  }

  public Answer ask(String prompt) {
    return askBody(body(prompt));
  }

  /** Asks about an image; see {@link #body(String, String)}. */
  public Answer ask(String prompt, String imageUrl) {
    return askBody(body(prompt, imageUrl));
  }

  /** Asks about an image after worked examples; see {@link #body(String, List, String, String)}. */
  public Answer ask(String system, List<Shot> shots, String prompt, String imageUrl) {
    return askBody(body(system, shots, prompt, imageUrl));
  }

  private Answer askBody(String body) {
    String key = SampleIds.of(body);
    String cached = readCache(key);
    if (cached != null) {
      return new Answer(cached, null, null, true);
    }
    Backoff.Outcome<Answer> outcome =
        Backoff.run(config.retries(), config.backoffMillis(), key.hashCode(), n -> once(body));
    Answer answer = outcome.result();
    if (outcome.interrupted()) {
      return Answer.failed(TIMEOUT, "interrupted while waiting to retry");
    }
    if (answer.reason() != null) {
      return outcome.exhausted()
          ? Answer.failed(
              answer.reason(), answer.detail() + " (after " + outcome.attempts() + " attempts)")
          : answer;
    }
    writeCache(key, answer.text());
    return answer;
  }

  private Backoff.Attempt<Answer> once(String body) {
    Request.Builder request =
        new Request.Builder().url(config.url()).post(RequestBody.create(body, JSON_TYPE));
    if (apiKey != null) {
      request.header("Authorization", "Bearer " + apiKey);
    }
    try (Response response = http.newCall(request.build()).execute()) {
      int code = response.code();
      if (code == 429 || code >= 500) {
        return Backoff.Attempt.retry(
            Answer.failed(HTTP_PREFIX + code, "HTTP " + code + " from the endpoint"),
            retryAfterMillis(response));
      }
      if (code != 200) {
        return Backoff.Attempt.done(
            Answer.failed(HTTP_PREFIX + code, "HTTP " + code + " from the endpoint"));
      }
      ResponseBody payload = response.body();
      byte[] bytes =
          payload == null ? new byte[0] : payload.byteStream().readNBytes(MAX_ANSWER_BYTES + 1);
      if (bytes.length > MAX_ANSWER_BYTES) {
        return Backoff.Attempt.done(
            Answer.failed(BAD_RESPONSE, "response over " + MAX_ANSWER_BYTES + " bytes"));
      }
      return Backoff.Attempt.done(parse(bytes));
    } catch (ConnectException e) {
      return Backoff.Attempt.retry(
          Answer.failed(UNREACHABLE, "cannot connect to " + config.url() + ": " + e.getMessage()),
          0);
    } catch (InterruptedIOException e) {
      return Backoff.Attempt.retry(
          Answer.failed(TIMEOUT, "no complete answer within " + config.timeoutMillis() + " ms"), 0);
    } catch (IOException e) {
      return Backoff.Attempt.retry(
          Answer.failed(UNREACHABLE, e.getClass().getSimpleName() + ": " + e.getMessage()), 0);
    }
  }

  /** {@code choices[0].message.content}, a non-blank string; anything else is a bad response. */
  public static Answer parse(byte[] bytes) {
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (IOException e) {
      return Answer.failed(
          BAD_RESPONSE,
          "not JSON: " + new String(bytes, 0, Math.min(bytes.length, 200), StandardCharsets.UTF_8));
    }
    JsonNode content =
        root == null ? null : root.path("choices").path(0).path("message").path("content");
    if (content == null || !content.isTextual()) {
      return Answer.failed(BAD_RESPONSE, "no choices[0].message.content string in the answer");
    }
    return new Answer(content.asText(), null, null, false);
  }

  private static long retryAfterMillis(Response response) {
    String value = response.header("Retry-After");
    try {
      return value == null ? 0 : Math.max(0, Long.parseLong(value.strip()) * 1000);
    } catch (NumberFormatException e) {
      return 0; // an HTTP date: fall back to our own backoff
    }
  }

  private String cachePath(String key) {
    return config.cache() + "/" + key.substring(0, 2) + "/" + key + ".json";
  }

  private String readCache(String key) {
    if (config.cache() == null) {
      return null;
    }
    try {
      if (!OutputFiles.exists(cachePath(key))) {
        return null;
      }
      JsonNode entry = JSON.readTree(OutputFiles.readString(cachePath(key)));
      return entry.path("answer").isTextual() ? entry.path("answer").asText() : null;
    } catch (IOException e) {
      return null; // an unreadable entry (a crash mid-write) is asked again
    }
  }

  /** Written under a temporary name and renamed, so a reader never sees half an entry. */
  private void writeCache(String key, String answer) {
    if (config.cache() == null) {
      return;
    }
    String path = cachePath(key);
    String temp = path + ".tmp-" + Thread.currentThread().getId();
    try {
      try (OutputStream out =
          Channels.newOutputStream(
              FileSystems.create(FileSystems.matchNewResource(temp, false), "application/json"))) {
        out.write(
            JSON.createObjectNode()
                .put("model", config.model())
                .put("answer", answer)
                .toString()
                .getBytes(StandardCharsets.UTF_8));
      }
      FileSystems.rename(
          List.of(FileSystems.matchNewResource(temp, false)),
          List.of(FileSystems.matchNewResource(path, false)),
          MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
    } catch (IOException e) {
      // a cache that cannot be written costs a repeated request on a re-run, never the answer
    }
  }

  public void close() {
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }
}
