package dev.corpusforge.pipelines.regionentity;

import static dev.corpusforge.pipelines.regionentity.RegionReasons.AGREEMENT;
import static dev.corpusforge.pipelines.regionentity.RegionReasons.ANNOTATE;
import static dev.corpusforge.pipelines.regionentity.RegionReasons.IMAGE;
import static dev.corpusforge.pipelines.regionentity.RegionReasons.PROMPT;

import dev.corpusforge.core.Recipe;
import dev.corpusforge.core.RecordIdentity;
import dev.corpusforge.core.Stage;
import dev.corpusforge.core.StepResult;
import dev.corpusforge.core.cache.CacheOptions;
import dev.corpusforge.core.cache.CacheSpec;
import dev.corpusforge.core.output.Histograms;
import dev.corpusforge.core.output.OutputLayout;
import dev.corpusforge.pipelines.regionentity.AnnotateSteps.Annotate;
import dev.corpusforge.pipelines.regionentity.AnnotateSteps.Judge;
import dev.corpusforge.pipelines.regionentity.AnnotateSteps.KeepAgreed;
import dev.corpusforge.pipelines.regionentity.AnnotateSteps.TextPrompt;
import dev.corpusforge.schemas.RegionEntitySample;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Top;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * {@code region-entity}: MaskOVEN-Wiki-style reverse annotation (CORPORA.md §2). Rows {@code
 * {image, entity_id, entity_name}} → a type from the row or {@code --kb} → a text prompt (entity or
 * query split) → the image → two or more independent annotators → the agreement rule → {@code
 * data/part-*.parquet} with a COCO RLE mask per kept row, and {@code
 * exports/coco/annotations.json}. Every input row is a kept sample or a reject.
 */
public final class RegionEntityPipeline {
  public static final String NAME = "region-entity";

  /** Kept and rejected rows drawn in the report, each. */
  static final int PREVIEWS = 12;

  private RegionEntityPipeline() {}

  public static void build(Pipeline pipeline, RegionEntityConfig config) {
    CacheSpec cache = CacheOptions.spec(pipeline.getOptions());
    StepResult<RegionRow> read =
        pipeline.apply("Read rows", RegionRowSource.of(config.inputs(), config.columns()));
    Recipe<RegionRow> rows = Recipe.read(read, RegionRow::sampleId);
    if (!config.kb().isEmpty()) {
      rows =
          rows.through(
              "KB join", new KbJoin(config.kb(), config.kbIdColumn(), config.kbLabelColumn()));
    }
    RecordIdentity<RegionRow> row = AnnotateSteps.ROW_IDENTITY;
    RecordIdentity<Annotating> annotating = Annotating.IDENTITY;
    Recipe<Annotating> annotated =
        rows.then(
                "Text prompt", Stage.of(PROMPT, new TextPrompt(config.prompt(), config.llm()), row))
            // rows come from few files: spread them over the workers before the costly steps, the
            // rows of one image together, so that its proposals and cut-out embeddings are made
            // once
            .through("Spread rows by image", new SpreadByImage())
            .then(
                "Load image",
                Stage.of(
                    IMAGE,
                    AnnotateSteps.loadImage(config, cache),
                    row,
                    SerializableCoder.of(Annotating.class)));
    for (String name : config.annotators()) {
      annotated =
          annotated.then(
              "Annotate " + name,
              Stage.batched(
                  ANNOTATE,
                  new Annotate(name, config, cache),
                  annotating,
                  SerializableCoder.of(Annotating.class),
                  AnnotateSteps.ANNOTATE_BATCH));
    }
    Recipe<Annotating> judged =
        annotated.then("Judge agreement", Stage.of(AGREEMENT, new Judge(config), annotating));
    // every judged row, kept or not, feeds the evaluation and the previews
    PCollection<Annotating> judgedRows = judged.kept();
    Recipe<RegionEntitySample> recipe =
        judged.then(
            "Keep agreed",
            Stage.of(
                AGREEMENT, new KeepAgreed(), annotating, AvroCoder.of(RegionEntitySample.class)));
    PCollection<RegionEntitySample> kept = recipe.kept();

    OutputLayout layout = new OutputLayout(config.output());
    recipe.write(
        layout,
        RegionEntitySample.getClassSchema(),
        RegionEntitySample::getSampleId,
        stats(kept, judgedRows, config, layout));
  }

  /**
   * The run's statistics: the annotators' figures over every judged row (kept or not), previews,
   * histograms of the kept samples, the COCO export.
   */
  private static List<PCollection<String>> stats(
      PCollection<RegionEntitySample> kept,
      PCollection<Annotating> judgedRows,
      RegionEntityConfig config,
      OutputLayout layout) {
    List<PCollection<String>> stats = new ArrayList<>();
    stats.add(
        judgedRows
            .apply(
                "Annotated rows",
                MapElements.into(TypeDescriptor.of(AnnotationStats.Annotated.class))
                    .via(AnnotationStats.Annotated::of))
            .setCoder(SerializableCoder.of(AnnotationStats.Annotated.class))
            .apply("Annotation stats", Combine.globally(new AnnotationStats())));
    stats.add(
        judgedRows
            .apply(
                "By verdict",
                WithKeys.of((Annotating a) -> a.verdict().kept())
                    .withKeyType(TypeDescriptors.booleans()))
            .apply("Preview rows", Top.perKey(PREVIEWS, new RegionPreview.ReverseIdOrder()))
            .apply("Drawn previews", ParDo.of(new RegionPreview.PreviewFn())));
    stats.add(
        kept.apply(
            "Histograms",
            Histograms.of(
                    "mask_area_share",
                    (RegionEntitySample s) ->
                        (double) s.getArea() / ((double) s.getWidth() * s.getHeight()),
                    0,
                    0.01,
                    0.02,
                    0.05,
                    0.1,
                    0.2,
                    0.4,
                    0.6,
                    0.9)
                .and(
                    "agreement_iou",
                    RegionEntitySample::getAgreementIou,
                    0,
                    0.5,
                    0.6,
                    0.7,
                    0.8,
                    0.9,
                    0.95,
                    1.0001)));
    if (config.exports().writes(RegionExports.COCO)) {
      stats.add(kept.apply("COCO export", new CocoExport(layout.exports("coco"))));
    }
    if (config.exports().writes(RegionExports.MASKOVEN)) {
      stats.add(
          kept.apply(
              "MaskOVEN export",
              new MaskOvenExport(
                  layout.exports("maskoven"), config.exports(), config.agreement().minArea())));
    }
    return stats;
  }
}
