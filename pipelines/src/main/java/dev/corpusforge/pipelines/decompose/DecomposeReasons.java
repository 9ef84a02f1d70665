package dev.corpusforge.pipelines.decompose;

/**
 * Reason codes of the decompose pipeline's read and split stages; those every source shares
 * (unsupported_file, file_unreadable, malformed_row, malformed_file, invalid_encoding, stage read)
 * are {@link dev.corpusforge.core.read.ReadReasons}.
 */
public final class DecomposeReasons {
  private DecomposeReasons() {}

  public static final String SPLIT = "split";

  /** The row has no text field, or it is null. */
  public static final String TEXT_MISSING = "text_missing";

  /** The text field is a number, object, list or boolean. */
  public static final String TEXT_NOT_STRING = "text_not_string";

  /** Nothing but white space. */
  public static final String EMPTY_TEXT = "empty_text";

  /** Too few tokens for the smallest bucket: the whole document is dropped. */
  public static final String TOO_SHORT = "too_short";

  /**
   * Tokens at the end of a document that made no chunk (the remainder below the smallest chunk).
   */
  public static final String DROPPED_TAIL = "tail_below_min";
}
