package dev.corpusforge.pipelines.llm;

import java.io.Serializable;

/**
 * An OpenAI-compatible chat-completions endpoint (vLLM, TGI, llama.cpp's server, …). The API key is
 * read on each worker from the environment variable {@code apiKeyEnv}, never carried in the
 * configuration, the manifest or a log line.
 *
 * @param endpoint the base URL ({@code http://host:8000/v1}) or the full {@code …/chat/completions}
 *     URL
 * @param temperature sampling temperature (GraphCLIP: 0.8)
 * @param topP nucleus sampling (GraphCLIP: 0.95)
 * @param maxTokens new tokens per answer (GraphCLIP: 512)
 * @param concurrency requests in flight per worker
 * @param timeoutMillis deadline of one request, from connecting to the last byte
 * @param retries extra attempts after a 429, a 5xx, a timeout or a refused connection
 * @param cache folder of answers keyed by the request's hash (local or s3://); a re-run asks only
 *     for what it has not got
 */
public record LlmConfig(
    String endpoint,
    String model,
    String apiKeyEnv,
    double temperature,
    double topP,
    int maxTokens,
    int concurrency,
    long timeoutMillis,
    int retries,
    long backoffMillis,
    String cache)
    implements Serializable {
  public static final double DEFAULT_TEMPERATURE = 0.8;
  public static final double DEFAULT_TOP_P = 0.95;
  public static final int DEFAULT_MAX_TOKENS = 512;
  public static final int DEFAULT_CONCURRENCY = 8;
  public static final long DEFAULT_TIMEOUT_MILLIS = 120_000;
  public static final int DEFAULT_RETRIES = 4;
  public static final long DEFAULT_BACKOFF_MILLIS = 1_000;
  public static final String DEFAULT_API_KEY_ENV = "OPENAI_API_KEY";

  public LlmConfig {
    if (endpoint == null || !(endpoint.startsWith("http://") || endpoint.startsWith("https://"))) {
      throw new IllegalArgumentException(
          "the OpenAI-compatible client needs --endpoint http(s)://…, not '" + endpoint + "'");
    }
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException(
          "the OpenAI-compatible client needs the model name the server serves (--model in graph-summary, --llm-model in region-entity)");
    }
    if (concurrency < 1 || timeoutMillis < 1 || retries < 0 || backoffMillis < 0 || maxTokens < 1) {
      throw new IllegalArgumentException(
          "need --llm-concurrency ≥ 1, --llm-timeout-seconds > 0, --llm-retries ≥ 0, --llm-max-tokens ≥ 1");
    }
  }

  /** The chat-completions URL. */
  public String url() {
    String base = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
    return base.endsWith("/chat/completions") ? base : base + "/chat/completions";
  }

  public String summarizerName() {
    return "openai:" + model;
  }
}
