package dev.corpusforge.core;

import dev.corpusforge.schemas.Reject;

/** Builds reject rows; the one place that decides how an exception becomes a reason. */
public final class Rejects {
  /** Longest detail kept in a reject row; longer details are cut with an ellipsis. */
  public static final int MAX_DETAIL_CHARS = 2000;

  private Rejects() {}

  public static Reject of(
      String sampleId, String source, String stage, String reason, String detail) {
    return Reject.newBuilder()
        .setSampleId(sampleId)
        .setSource(source)
        .setStage(stage)
        .setReason(reason)
        .setDetail(shorten(detail))
        .build();
  }

  /** The reject for a stage that threw: {@code reason = error:<ExceptionClass>}. */
  public static Reject ofError(String sampleId, String source, String stage, Throwable error) {
    return of(sampleId, source, stage, errorReason(error), String.valueOf(error.getMessage()));
  }

  /**
   * The one reason of every pipeline for a record that made a stage throw unexpectedly: {@code
   * error:<ExceptionClass>}, the message going into the detail.
   */
  public static String errorReason(Throwable error) {
    return "error:" + error.getClass().getSimpleName();
  }

  static String shorten(String detail) {
    if (detail == null || detail.length() <= MAX_DETAIL_CHARS) {
      return detail;
    }
    return detail.substring(0, MAX_DETAIL_CHARS) + "…";
  }
}
