package dev.corpusforge.pipelines.regionentity;

/** Stages and reason codes of the region-entity pipeline (see pipelines/README.md). */
final class RegionReasons {
  static final String ROW = "row";
  static final String IMAGE_MISSING = "image_missing";
  static final String IMAGE_PATH_INVALID = "image_path_invalid";
  static final String ENTITY_ID_MISSING = "entity_id_missing";
  static final String ENTITY_NAME_EMPTY = "entity_name_empty";
  static final String ENTITY_NAME_TOO_LONG = "entity_name_too_long";

  static final String PROMPT = "prompt";

  static final String IMAGE = "image";
  static final String IMAGE_UNREADABLE =
      dev.corpusforge.pipelines.fetch.ImageLoader.IMAGE_UNREADABLE;

  static final String ANNOTATE = "annotate";

  static final String AGREEMENT = "agreement";

  private RegionReasons() {}
}
