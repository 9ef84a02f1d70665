package dev.corpusforge.filters.dedup;

/** Reason codes of the dedup stage. */
public final class DedupReasons {
  private DedupReasons() {}

  public static final String CAPTION_FREQUENT =
      dev.corpusforge.filters.text.TextReasons.CAPTION_FREQUENT;
  public static final String DUP_IMAGE_EXACT = "dup_image_exact";
  public static final String DUP_IMAGE_NEAR = "dup_image_near";
  public static final String DUP_SEMANTIC = "dup_semantic";
  public static final String DUP_EXACT = "dup_exact";
  public static final String DUP_NEAR = "dup_near";
}
