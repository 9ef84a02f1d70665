package dev.corpusforge.pipelines.fetch;

import java.util.Map;

/**
 * A fetched body, or the reason (and detail) it could not be had; with what the response said of
 * itself that a cache needs ({@link FetchCache}): its validators, {@code Cache-Control} and {@code
 * X-Robots-Tag}, under lower-case names.
 */
public record FetchResult(
    byte[] body,
    String contentType,
    String finalUrl,
    String reason,
    String detail,
    Map<String, String> response) {
  public FetchResult {
    response = response == null ? Map.of() : Map.copyOf(response);
  }

  public static FetchResult ok(byte[] body, String contentType, String finalUrl) {
    return ok(body, contentType, finalUrl, Map.of());
  }

  public static FetchResult ok(
      byte[] body, String contentType, String finalUrl, Map<String, String> response) {
    return new FetchResult(body, contentType, finalUrl, null, null, response);
  }

  public static FetchResult failed(String reason, String detail) {
    return failed(reason, detail, Map.of());
  }

  public static FetchResult failed(String reason, String detail, Map<String, String> response) {
    return new FetchResult(null, null, null, reason, detail, response);
  }

  public boolean ok() {
    return reason == null;
  }
}
