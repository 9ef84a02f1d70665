package dev.corpusforge.pipelines.regionentity;

import dev.corpusforge.annotators.region.AgreementRule;
import dev.corpusforge.annotators.region.DetectorAnnotator;
import dev.corpusforge.annotators.region.ProposalAnnotator;
import dev.corpusforge.annotators.region.SimilarityAnnotator;
import dev.corpusforge.filters.image.ImageRules;
import dev.corpusforge.pipelines.fetch.FetchConfig;
import dev.corpusforge.pipelines.llm.LlmConfig;
import dev.corpusforge.pipelines.run.UsesModels;
import dev.corpusforge.scorers.DeviceChoice;
import java.io.Serializable;
import java.util.List;

/**
 * Everything a region-entity run computes with; echoed in the manifest.
 *
 * @param kb knowledge-base tables (entity id → type / parent label); empty for none
 * @param llm the query-split rewriter's endpoint, or null for the template
 * @param annotators annotator names in order ({@code similarity}, {@code proposals}, {@code
 *     detector})
 * @param model the dual-encoder bundle of the similarity and proposals annotators
 * @param detectorBundle the detector + segmenter bundle of the detector annotator, or null
 * @param groundTruth a COCO file to evaluate against, or null
 * @param exports the trainer formats written under {@code exports/}
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
    String detectorBundle,
    DetectorAnnotator.Settings detector,
    AgreementRule agreement,
    ImageRules imageRules,
    FetchConfig fetch,
    String groundTruth,
    RegionExports exports)
    implements Serializable, UsesModels {
  /** Whether an annotator needs the dual encoder. */
  boolean usesDualEncoder() {
    return annotators.contains(SimilarityAnnotator.NAME)
        || annotators.contains(ProposalAnnotator.NAME);
  }

  @Override
  public List<String> modelBundles() {
    List<String> bundles = new java.util.ArrayList<>();
    if (usesDualEncoder()) {
      bundles.add(model);
    }
    if (annotators.contains(DetectorAnnotator.NAME)) {
      bundles.add(detectorBundle);
    }
    return bundles;
  }

  public RegionEntityConfig {
    inputs = List.copyOf(inputs);
    kb = List.copyOf(kb);
    annotators = List.copyOf(annotators);
    if (annotators.size() < 2) {
      throw new IllegalArgumentException(
          "--annotators needs two or more independent annotators, not " + annotators);
    }
    for (String a : annotators) {
      if (!a.equals(SimilarityAnnotator.NAME)
          && !a.equals(ProposalAnnotator.NAME)
          && !a.equals(DetectorAnnotator.NAME)) {
        throw new IllegalArgumentException(
            "unknown annotator '" + a + "': similarity, proposals or detector");
      }
    }
    if (annotators.contains(DetectorAnnotator.NAME) && detectorBundle == null) {
      throw new IllegalArgumentException("the detector annotator needs --detector-bundle");
    }
    if ((annotators.contains(SimilarityAnnotator.NAME)
            || annotators.contains(ProposalAnnotator.NAME))
        && model == null) {
      throw new IllegalArgumentException(
          "the similarity and proposals annotators need --model, a dual-encoder bundle");
    }
    if (annotators.stream().distinct().count() != annotators.size()) {
      throw new IllegalArgumentException("--annotators names one annotator twice: " + annotators);
    }
  }
}
