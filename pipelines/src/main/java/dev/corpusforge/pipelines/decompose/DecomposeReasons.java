package dev.corpusforge.pipelines.decompose;

/** Reason codes of the decompose pipeline's read and split stages. */
public final class DecomposeReasons {
  private DecomposeReasons() {}

  public static final String READ = "read";
  public static final String SPLIT = "split";

  /** A file in an input folder that is not a document (see --text-extensions). */
  public static final String UNSUPPORTED_FILE = "unsupported_file";
  public static final String FILE_UNREADABLE = "file_unreadable";
  /** A JSON line that does not parse or is not an object; a list file that cannot be read on from some row. */
  public static final String MALFORMED_ROW = "malformed_row";
  public static final String MALFORMED_FILE = "malformed_file";
  /** The row has no text field, or it is null. */
  public static final String TEXT_MISSING = "text_missing";
  /** The text field is a number, object, list or boolean. */
  public static final String TEXT_NOT_STRING = "text_not_string";
  /** The bytes of the document (or JSON line) are not valid UTF-8. */
  public static final String INVALID_ENCODING = "invalid_encoding";
  /** Nothing but white space. */
  public static final String EMPTY_TEXT = "empty_text";
  /** Too few tokens for the smallest bucket: the whole document is dropped. */
  public static final String TOO_SHORT = "too_short";

  /** Tokens at the end of a document that made no chunk (the remainder below the smallest chunk). */
  public static final String DROPPED_TAIL = "tail_below_min";
}
