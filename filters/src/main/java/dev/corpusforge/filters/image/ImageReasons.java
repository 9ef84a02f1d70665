package dev.corpusforge.filters.image;

/** Reason codes of the image stage. */
public final class ImageReasons {
  private ImageReasons() {}

  public static final String IMAGE_MISSING = "image_missing";
  public static final String IMAGE_EMPTY = "image_empty";
  public static final String IMAGE_TOO_LARGE_BYTES = "image_too_large_bytes";
  public static final String IMAGE_UNKNOWN_FORMAT = "image_unknown_format";
  public static final String IMAGE_HEADER_UNREADABLE = "image_header_unreadable";
  public static final String IMAGE_TOO_MANY_PIXELS = "image_too_many_pixels";
  public static final String IMAGE_TRUNCATED = "image_truncated";
  public static final String IMAGE_DECODE_FAILED = "image_decode_failed";
  public static final String MIN_SIDE = "min_side";
  public static final String ASPECT_RATIO = "aspect_ratio";
  public static final String IMAGE_ENCODE_FAILED = "image_encode_failed";
}
