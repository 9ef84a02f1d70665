package dev.corpusforge.pipelines.fetch;

/** A fetched body, or the reason (and detail) it could not be had. */
public record FetchResult(
    byte[] body, String contentType, String finalUrl, String reason, String detail) {
  public static FetchResult ok(byte[] body, String contentType, String finalUrl) {
    return new FetchResult(body, contentType, finalUrl, null, null);
  }

  public static FetchResult failed(String reason, String detail) {
    return new FetchResult(null, null, null, reason, detail);
  }

  public boolean ok() {
    return reason == null;
  }
}
