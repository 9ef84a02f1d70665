package dev.corpusforge.pipelines.som;

import dev.corpusforge.pipelines.fetch.ImageLoader;

/**
 * Stages and reason codes of the som pipeline, and the names of its mask counts (see
 * pipelines/README.md).
 */
final class SomReasons {
  /** Reading the inputs: COCO files, region-entity rows, image folders. */
  static final String READ = dev.corpusforge.core.read.ReadReasons.STAGE;

  static final String IMAGE_ENTRY_INVALID = "image_entry_invalid";
  static final String DUPLICATE_IMAGE_ID = "duplicate_image_id";
  static final String MASK_ROW_INVALID = "mask_row_invalid";

  static final String IMAGE = "image";
  static final String IMAGE_UNREADABLE = ImageLoader.IMAGE_UNREADABLE;

  static final String MARKS = "marks";
  static final String TOO_MANY_MASKS = "too_many_masks";
  static final String NO_MASKS = "no_masks";
  static final String NO_MARKS = "no_marks";

  static final String LISTING = "listing";
  static final String CONVERSATION = "conversation";
  static final String LISTING_MISMATCH = "listing_mismatch";

  // masks dropped before numbering, counted in the manifest's marks section
  static final String MASK_INVALID = "mask_invalid";
  static final String MASK_SIZE_MISMATCH = "mask_size_mismatch";
  static final String MASK_EMPTY = "mask_empty";
  static final String MASK_LABEL_EMPTY = "mask_label_empty";
  static final String ANNOTATION_UNKNOWN_IMAGE = "annotation_unknown_image";
  static final String ANNOTATION_UNKNOWN_CATEGORY = "annotation_unknown_category";

  private SomReasons() {}
}
