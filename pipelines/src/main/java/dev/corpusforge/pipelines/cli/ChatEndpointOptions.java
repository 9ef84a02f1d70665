package dev.corpusforge.pipelines.cli;

import dev.corpusforge.pipelines.llm.LlmConfig;
import picocli.CommandLine.Option;

/**
 * Flags of an OpenAI-compatible chat endpoint used by a pipeline step (graph-summary's summariser,
 * region-entity's query rewriter, som's vision lister). {@code --llm-model} is always the model the
 * server serves; a model bundle on disk is {@code --model}, {@code --score-model} or {@code
 * --align-model}.
 */
public final class ChatEndpointOptions {
  @Option(
      names = "--endpoint",
      paramLabel = "URL",
      description = "openai: base URL (http://host:8000/v1) or the full …/chat/completions URL.")
  String endpoint;

  @Option(
      names = "--llm-model",
      paramLabel = "NAME",
      description = "openai: the model name the server serves.")
  String llmModel;

  @Option(
      names = "--api-key-env",
      defaultValue = LlmConfig.DEFAULT_API_KEY_ENV,
      description = "openai: environment variable holding the API key. Default: ${DEFAULT-VALUE}.")
  String apiKeyEnv;

  @Option(
      names = "--llm-timeout-seconds",
      defaultValue = "" + LlmConfig.DEFAULT_TIMEOUT_MILLIS / 1000,
      description = "Deadline of one request. Default: ${DEFAULT-VALUE}.")
  double llmTimeoutSeconds;

  @Option(
      names = "--llm-retries",
      defaultValue = "" + LlmConfig.DEFAULT_RETRIES,
      description =
          "Extra attempts after a 429, a 5xx, a timeout or a refused connection, with exponential backoff (Retry-After honoured). Default: ${DEFAULT-VALUE}.")
  int llmRetries;

  @Option(
      names = "--llm-cache",
      paramLabel = "URI",
      description = "Answer cache kept across runs (default: OUTPUT.llm-cache next to --output).")
  String llmCache;

  /**
   * Deterministic answers (temperature 0), one request in flight per worker thread, the cache next
   * to {@code output} unless named.
   */
  LlmConfig config(String output, int maxTokens) {
    return config(output, 0.0, 1.0, maxTokens, 1, LlmConfig.DEFAULT_BACKOFF_MILLIS);
  }

  /** With a pipeline's own sampling settings, requests in flight and retry backoff. */
  LlmConfig config(
      String output,
      double temperature,
      double topP,
      int maxTokens,
      int concurrency,
      long backoffMillis) {
    String cache =
        llmCache != null
            ? llmCache
            : (output.endsWith("/") ? output.substring(0, output.length() - 1) : output)
                + ".llm-cache";
    return new LlmConfig(
        endpoint,
        llmModel,
        apiKeyEnv,
        temperature,
        topP,
        maxTokens,
        concurrency,
        Math.round(llmTimeoutSeconds * 1000),
        llmRetries,
        backoffMillis,
        cache);
  }

  /** Whether any endpoint flag was given (they are for an LLM step only). */
  boolean given() {
    return endpoint != null || llmModel != null;
  }
}
