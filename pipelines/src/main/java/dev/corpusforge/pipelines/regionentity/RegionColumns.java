package dev.corpusforge.pipelines.regionentity;

import java.io.Serializable;

/**
 * Column names of the input rows; {@code entityType} and {@code question} are optional (null:
 * none).
 */
public record RegionColumns(
    String image, String entityId, String entityName, String entityType, String question)
    implements Serializable {
  public static RegionColumns defaults() {
    return new RegionColumns("image", "entity_id", "entity_name", "entity_type", "question");
  }
}
