package dev.corpusforge.scorers.beam;

/** Reason codes of the scoring and alignment stages. */
public final class ScoreReasons {
  /**
   * The pair could not be scored: its image does not decode, its caption has no tokens, or the
   * model failed on it alone.
   */
  public static final String SCORE_ERROR = "score_error";

  /** The pair's alignment score is under the threshold (score and threshold in the detail). */
  public static final String SCORE_BELOW_THRESHOLD = "score_below_threshold";

  private ScoreReasons() {}
}
