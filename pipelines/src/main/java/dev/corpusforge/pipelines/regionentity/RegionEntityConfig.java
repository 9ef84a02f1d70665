package dev.corpusforge.pipelines.regionentity;

import dev.corpusforge.annotators.region.AgreementRule;
import dev.corpusforge.annotators.region.ProposalAnnotator;
import dev.corpusforge.annotators.region.SimilarityAnnotator;
import dev.corpusforge.filters.image.ImageRules;
import dev.corpusforge.pipelines.fetch.FetchConfig;
import dev.corpusforge.pipelines.llm.LlmConfig;
import dev.corpusforge.scorers.DeviceChoice;
import java.io.Serializable;
import java.util.List;

/**
 * Everything a region-entity run computes with; echoed in the manifest.
 *
 * @param kb knowledge-base tables (entity id → type / parent label); empty for none
 * @param llm the query-split rewriter's endpoint, or null for the template
 * @param annotators annotator names in order ({@code similarity}, {@code proposals})
 * @param model the dual-encoder bundle the annotators use
 * @param groundTruth a COCO file to evaluate against, or null
 */
public record RegionEntityConfig(
    List<String> inputs,
    String output,
    RegionColumns columns,
    List<String> kb,
    String kbIdColumn,
    String kbLabelColumn,
    PromptRule prompt,
    LlmConfig llm,
    List<String> annotators,
    String model,
    DeviceChoice device,
    int threads,
    SimilarityAnnotator.Settings similarity,
    ProposalAnnotator.Settings proposals,
    AgreementRule agreement,
    ImageRules imageRules,
    FetchConfig fetch,
    String groundTruth)
    implements Serializable {
  public RegionEntityConfig {
    inputs = List.copyOf(inputs);
    kb = List.copyOf(kb);
    annotators = List.copyOf(annotators);
    if (annotators.size() < 2) {
      throw new IllegalArgumentException("--annotators needs two or more independent annotators, not " + annotators);
    }
    for (String a : annotators) {
      if (!a.equals(SimilarityAnnotator.NAME) && !a.equals(ProposalAnnotator.NAME)) {
        throw new IllegalArgumentException("unknown annotator '" + a + "': similarity or proposals");
      }
    }
    if (annotators.stream().distinct().count() != annotators.size()) {
      throw new IllegalArgumentException("--annotators names one annotator twice: " + annotators);
    }
  }
}
