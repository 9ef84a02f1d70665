package dev.corpusforge.core.read;

/** Reason codes of the read stage. */
public final class ReadReasons {
  private ReadReasons() {}

  public static final String STAGE = "read";
  public static final String CAPTION_MISSING = "caption_missing";
  public static final String IMAGE_MISSING = "image_missing";
  public static final String UNSUPPORTED_FILE = "unsupported_file";
  public static final String IMAGE_TOO_LARGE_BYTES = "image_too_large_bytes";
  public static final String CAPTION_TOO_LONG = "caption_too_long";
  public static final String FILE_UNREADABLE = "file_unreadable";
  public static final String TAR_UNREADABLE = "tar_unreadable";
  public static final String TAR_MEMBER_UNREADABLE = "tar_member_unreadable";
  public static final String TAR_EMPTY = "tar_empty";
  public static final String TAR_TRUNCATED = "tar_truncated";
  public static final String MALFORMED_ROW = "malformed_row";
  public static final String MALFORMED_FILE = "malformed_file";
  public static final String ROW_TOO_LARGE = "row_too_large";
  public static final String URL_MISSING = "url_missing";

  /** A row (or a document) whose bytes are not valid UTF-8. */
  public static final String INVALID_ENCODING = "invalid_encoding";
}
