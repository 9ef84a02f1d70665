package dev.corpusforge.pipelines.regionentity;

import java.io.Serializable;

/**
 * One input row: {@code image} as written in the row, {@code location} as resolved (a path relative
 * to the input file's folder becomes absolute); {@code textPrompt} is filled by {@link
 * PromptBuilder}.
 */
record RegionRow(
    String sampleId,
    String source,
    String image,
    String location,
    String entityId,
    String entityName,
    String entityType,
    String question,
    String split,
    String textPrompt)
    implements Serializable {
  RegionRow withType(String type) {
    return new RegionRow(
        sampleId, source, image, location, entityId, entityName, type, question, split, textPrompt);
  }

  RegionRow withPrompt(String split, String prompt) {
    return new RegionRow(
        sampleId,
        source,
        image,
        location,
        entityId,
        entityName,
        entityType,
        question,
        split,
        prompt);
  }
}
