package dev.corpusforge.pipelines.cli;

import dev.corpusforge.annotators.region.AgreementRule;
import dev.corpusforge.annotators.region.DetectorAnnotator;
import dev.corpusforge.annotators.region.DetectorBundle;
import dev.corpusforge.annotators.region.ProposalAnnotator;
import dev.corpusforge.annotators.region.RegionProposals;
import dev.corpusforge.annotators.region.SimilarityAnnotator;
import dev.corpusforge.pipelines.llm.LlmConfig;
import dev.corpusforge.pipelines.regionentity.PromptRule;
import dev.corpusforge.pipelines.regionentity.RegionColumns;
import dev.corpusforge.pipelines.regionentity.RegionEntityConfig;
import dev.corpusforge.pipelines.regionentity.RegionEntityPipeline;
import dev.corpusforge.pipelines.regionentity.RegionExports;
import dev.corpusforge.pipelines.run.RunDriver;
import dev.corpusforge.schemas.RegionEntitySample;
import dev.corpusforge.schemas.Reject;
import dev.corpusforge.scorers.BundleFiles;
import dev.corpusforge.scorers.DeviceChoice;
import dev.corpusforge.scorers.ModelBundle;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code forge run region-entity}: pixel masks tying image regions to entities, by two independent
 * annotators that must agree.
 */
@Command(
    name = "region-entity",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Find the region of each row's image that its entity occupies (reverse annotation, MaskOVEN-Wiki-style): a text prompt from the entity's type and name, two independent annotators, kept when they agree → data/ Parquet with COCO RLE masks and exports/coco/annotations.json.")
public final class RegionEntityCommand implements Callable<Integer> {
  @Mixin RunOptions run;

  @Option(
      names = "--input",
      split = ",",
      paramLabel = "URI",
      description =
          "Row tables {image, entity_id, entity_name[, entity_type][, question]}: .csv/.tsv, .jsonl or .parquet; local or s3://; globs allowed. An image is a path relative to its table, an absolute path, an http(s) URL or s3://.")
  List<String> inputs;

  @Option(names = "--output", paramLabel = "URI", description = "Output folder, local or s3://.")
  String output;

  @Option(names = "--image-col", defaultValue = "image", description = "Default: ${DEFAULT-VALUE}.")
  String imageColumn;

  @Option(
      names = "--entity-id-col",
      defaultValue = "entity_id",
      description = "Default: ${DEFAULT-VALUE}.")
  String entityIdColumn;

  @Option(
      names = "--entity-name-col",
      defaultValue = "entity_name",
      description = "Default: ${DEFAULT-VALUE}.")
  String entityNameColumn;

  @Option(
      names = "--entity-type-col",
      defaultValue = "entity_type",
      description = "Optional type / parent-class column. Default: ${DEFAULT-VALUE}.")
  String entityTypeColumn;

  @Option(
      names = "--question-col",
      defaultValue = "question",
      description =
          "Optional question column; rows with a question are the query split. Default: ${DEFAULT-VALUE}.")
  String questionColumn;

  @Option(
      names = "--kb",
      split = ",",
      paramLabel = "URI",
      description =
          "Knowledge-base tables mapping entity ids to a type or parent-class label, for rows without a type.")
  List<String> kb = new ArrayList<>();

  @Option(
      names = "--kb-id-col",
      defaultValue = "entity_id",
      description = "Default: ${DEFAULT-VALUE}.")
  String kbIdColumn;

  @Option(
      names = "--kb-label-col",
      defaultValue = "parent",
      description = "Default: ${DEFAULT-VALUE}.")
  String kbLabelColumn;

  @Option(
      names = "--entity-template",
      defaultValue = PromptRule.DEFAULT_ENTITY_TEMPLATE,
      description = "Entity-split prompt with {type} and {name}. Default: ${DEFAULT-VALUE}.")
  String entityTemplate;

  @Option(
      names = "--query-template",
      defaultValue = PromptRule.DEFAULT_ENTITY_TEMPLATE,
      description =
          "Query-split prompt without an LLM; may use {question}, {type}, {name}. Default: ${DEFAULT-VALUE}.")
  String queryTemplate;

  @Option(
      names = "--query-rewriter",
      defaultValue = "template",
      description =
          "template, or openai: an OpenAI-compatible chat endpoint rewrites each question into a referring phrase. Default: ${DEFAULT-VALUE}.")
  String queryRewriter;

  @Option(
      names = "--annotators",
      split = ",",
      defaultValue = "similarity,proposals",
      description =
          "Two or more of: similarity (the dual encoder's per-patch map), proposals (region proposals scored as cut-outs), detector (an open-vocabulary detector + promptable segmenter bundle). Default: ${DEFAULT-VALUE}.")
  List<String> annotators;

  @Option(
      names = "--model",
      paramLabel = "BUNDLE",
      description =
          "Dual-encoder bundle (folder or s3:// prefix) with per-patch image tokens for the similarity and proposals annotators, e.g. samples/models/clipart-dual-encoder or an exported CLIP.")
  String model;

  @Option(
      names = "--detector-bundle",
      paramLabel = "BUNDLE",
      description =
          "Detector + segmenter bundle (OWL-ViT- and SAM-style ONNX exports; pipelines/README.md) for the detector annotator.")
  String detectorBundle;

  @Option(
      names = "--min-box-score",
      defaultValue = "0.1",
      description =
          "detector: the lowest sigmoid score of a box worth segmenting. Default: ${DEFAULT-VALUE}.")
  double minBoxScore;

  @Option(
      names = "--work-size",
      defaultValue = "512",
      description =
          "Longer side images are reduced to for annotation (masks come back at full size). Default: ${DEFAULT-VALUE}.")
  int workSize;

  @Option(
      names = "--segment-scale",
      defaultValue = "300",
      description =
          "Felzenszwalb–Huttenlocher k of the region proposals. Default: ${DEFAULT-VALUE}.")
  float segmentScale;

  @Option(
      names = "--max-proposals",
      defaultValue = "400",
      description = "Region proposals per image. Default: ${DEFAULT-VALUE}.")
  int maxProposals;

  @Option(
      names = "--min-agreement",
      defaultValue = "" + AgreementRule.DEFAULT_MIN_AGREEMENT,
      description = "Smallest IoU between two annotators' masks. Default: ${DEFAULT-VALUE}.")
  double minAgreement;

  @Option(
      names = "--min-area",
      defaultValue = "" + AgreementRule.DEFAULT_MIN_AREA,
      description = "Smallest kept mask, as a share of the image. Default: ${DEFAULT-VALUE}.")
  double minArea;

  @Option(
      names = "--max-area",
      defaultValue = "" + AgreementRule.DEFAULT_MAX_AREA,
      description = "Largest kept mask, as a share of the image. Default: ${DEFAULT-VALUE}.")
  double maxArea;

  @Option(
      names = "--min-similarity-score",
      defaultValue = "0",
      description =
          "Floor of the similarity annotator's score (map contrast). Default: ${DEFAULT-VALUE}.")
  double minSimilarityScore;

  @Option(
      names = "--min-proposals-score",
      defaultValue = "0",
      description = "Floor of the proposals annotator's score (cosine). Default: ${DEFAULT-VALUE}.")
  double minProposalsScore;

  @Option(
      names = "--consensus",
      defaultValue = "intersection",
      description =
          "Kept mask: intersection (pixels every annotator marked) or union. Default: ${DEFAULT-VALUE}.")
  String consensus;

  @Option(
      names = "--ground-truth",
      paramLabel = "COCO.json",
      description =
          "COCO annotations to evaluate against: each kept row gets gt_iou, the manifest the kept rate and IoU ≥ 0.5 precision, by objects per image.")
  String groundTruth;

  @Option(
      names = "--export",
      split = ",",
      defaultValue = RegionExports.COCO,
      paramLabel = "FORMAT",
      description =
          "Trainer formats under exports/: coco (exports/coco/annotations.json, one mask per sample) and/or maskoven (exports/maskoven/annotations.json, the released MaskOVEN-Wiki layout: a list of RLE masks and corner boxes per sample, label \"phrase(score)\", data_split, entity ids as category ids). Default: ${DEFAULT-VALUE}.")
  List<String> exports;

  @Option(
      names = "--max-regions",
      defaultValue = "" + RegionExports.DEFAULT_MAX_REGIONS,
      description =
          "MaskOVEN export: the most separate parts of a sample's consensus mask listed as regions, largest first (parts under --min-area of the image, other than the largest, are left out). Default: ${DEFAULT-VALUE}.")
  int maxRegions;

  @Option(
      names = "--data-split",
      paramLabel = "NAME",
      description =
          "MaskOVEN export: appended to each sample's split in data_split (--data-split val_seen gives query_val_seen). Default: the split alone.")
  String dataSplit;

  @Mixin ModelRuntimeOptions runtime = new ModelRuntimeOptions();

  @Mixin ChatEndpointOptions chat = new ChatEndpointOptions();

  @Mixin ImageLoadOptions imageLoad = new ImageLoadOptions();

  RegionEntityConfig config() {
    if (inputs == null || inputs.isEmpty() || output == null) {
      throw new IllegalArgumentException("region-entity needs --input and --output");
    }
    RegionProposals.Settings proposals =
        new RegionProposals.Settings(segmentScale, 60, 0.005, 0.6, maxProposals);
    SimilarityAnnotator.Settings similarity =
        new SimilarityAnnotator.Settings(
            workSize,
            SimilarityAnnotator.Settings.defaults().windows(),
            SimilarityAnnotator.Settings.defaults().ring(),
            proposals);
    ProposalAnnotator.Settings proposalSettings =
        new ProposalAnnotator.Settings(
            workSize,
            proposals,
            ProposalAnnotator.Settings.defaults().margin(),
            ProposalAnnotator.Settings.defaults().batchSize());
    AgreementRule agreement =
        new AgreementRule(
            minAgreement,
            minArea,
            maxArea,
            Map.of(
                SimilarityAnnotator.NAME,
                minSimilarityScore,
                ProposalAnnotator.NAME,
                minProposalsScore),
            consensus);
    return new RegionEntityConfig(
        inputs,
        output,
        new RegionColumns(
            imageColumn,
            entityIdColumn,
            entityNameColumn,
            blank(entityTypeColumn),
            blank(questionColumn)),
        kb,
        kbIdColumn,
        kbLabelColumn,
        new PromptRule(entityTemplate, queryTemplate),
        llm(),
        annotators,
        model,
        runtime.deviceChoice(),
        runtime.threads,
        similarity,
        proposalSettings,
        detectorBundle,
        new DetectorAnnotator.Settings(minBoxScore),
        agreement,
        imageLoad.rules(),
        imageLoad.fetch(),
        groundTruth,
        new RegionExports(exports, maxRegions, blank(dataSplit)));
  }

  private LlmConfig llm() {
    return switch (queryRewriter) {
      case "template" -> null;
      case "openai" -> chat.config(output, 64);
      default ->
          throw new IllegalArgumentException(
              "--query-rewriter must be template or openai, not '" + queryRewriter + "'");
    };
  }

  private static String blank(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  static RunDriver.Job job(RegionEntityConfig config) {
    List<String> inputs = new ArrayList<>(config.inputs());
    return new RunDriver.Job(
        RegionEntityPipeline.NAME,
        inputs,
        config.output(),
        config,
        Map.of("data", RegionEntitySample.getClassSchema(), "reject", Reject.getClassSchema()),
        p -> RegionEntityPipeline.build(p, config));
  }

  @Override
  public Integer call() throws Exception {
    // file systems (s3://) are known before the configuration reads files and the preflight checks
    // bundles
    RunDriver.options(run.settings());
    RegionEntityConfig config = config();
    preflight(config);
    return Forge.drive(job(config), run.settings());
  }

  /**
   * The bundles the chosen annotators need are complete and load, and the device exists, before any
   * work starts.
   */
  static void preflight(RegionEntityConfig config) throws IOException {
    try {
      config.device().resolve();
    } catch (IllegalStateException e) {
      throw new IllegalArgumentException(e.getMessage());
    }
    for (String bundle : config.modelBundles()) {
      if (bundle.equals(config.detectorBundle())
          && config.annotators().contains(DetectorAnnotator.NAME)) {
        try (DetectorBundle b =
            DetectorBundle.load(BundleFiles.localFolder(bundle), DeviceChoice.CPU.resolve(), 1)) {
          b.spec();
        } catch (IOException | RuntimeException e) {
          throw new IllegalArgumentException("--detector-bundle " + bundle + ": " + e.getMessage());
        }
      } else {
        ModelBundle b;
        try {
          b = ModelBundle.load(BundleFiles.localFolder(bundle));
        } catch (ModelBundle.InvalidBundleException e) {
          throw new IllegalArgumentException("--model: " + e.getMessage());
        }
        if (b.spec().text() == null
            || b.spec().image() == null
            || b.spec().image().tokensOutput() == null) {
          throw new IllegalArgumentException(
              "--model "
                  + bundle
                  + " needs a text and an image encoder with per-patch tokens (image.tokens_output)");
        }
      }
    }
  }
}
