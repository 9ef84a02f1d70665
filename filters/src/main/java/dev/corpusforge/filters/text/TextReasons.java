package dev.corpusforge.filters.text;

/** Reason codes of the text and language stages. */
public final class TextReasons {
  private TextReasons() {}

  public static final String CAPTION_MISSING = "caption_missing";
  public static final String CAPTION_INVALID_ENCODING = "caption_invalid_encoding";
  public static final String CAPTION_EMPTY = "caption_empty";
  public static final String CAPTION_TOO_LONG = "caption_too_long";
  public static final String CAPTION_TOO_SHORT = "caption_too_short";
  public static final String CAPTION_FILENAME_LIKE = "caption_filename_like";
  public static final String CAPTION_NO_LETTERS = "caption_no_letters";
  public static final String CAPTION_FREQUENT = "caption_frequent";
  public static final String LANGUAGE_UNKNOWN = "language_unknown";
  public static final String LANGUAGE_NOT_KEPT = "language_not_kept";
  public static final String LANGUAGE_SCORE_LOW = "language_score_low";
}
