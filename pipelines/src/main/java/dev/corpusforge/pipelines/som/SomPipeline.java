package dev.corpusforge.pipelines.som;

import static dev.corpusforge.pipelines.som.SomReasons.CONVERSATION;
import static dev.corpusforge.pipelines.som.SomReasons.IMAGE;
import static dev.corpusforge.pipelines.som.SomReasons.LISTING;
import static dev.corpusforge.pipelines.som.SomReasons.MARKS;

import dev.corpusforge.core.Recipe;
import dev.corpusforge.core.RecordIdentity;
import dev.corpusforge.core.Stage;
import dev.corpusforge.core.Tally;
import dev.corpusforge.core.cache.CacheOptions;
import dev.corpusforge.core.output.Histogram;
import dev.corpusforge.core.output.OutputLayout;
import dev.corpusforge.pipelines.som.TagSteps.CheckMaskCount;
import dev.corpusforge.pipelines.som.TagSteps.DecodeMasks;
import dev.corpusforge.pipelines.som.TagSteps.DrawMarks;
import dev.corpusforge.pipelines.som.TagSteps.EncodeImage;
import dev.corpusforge.pipelines.som.TagSteps.ListMarks;
import dev.corpusforge.pipelines.som.TagSteps.NumberMarks;
import dev.corpusforge.pipelines.som.TagSteps.WriteConversation;
import dev.corpusforge.schemas.SomSample;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.Top;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * {@code som}: Set-of-Mark tagged images with "list items one by one" conversations (SoM-LLaVA,
 * CORPORA.md §3). Images with instance masks (COCO, a region-entity output, or automatic masks) →
 * numbered marks drawn on the image → a listing and an instruction → {@code data/part-*.parquet}
 * and {@code exports/llava/}. Every input image is a tagged sample or a reject.
 */
public final class SomPipeline {
  public static final String NAME = "som";

  /** Kept samples drawn in the report. */
  static final int PREVIEWS = 12;

  private SomPipeline() {}

  public static void build(Pipeline pipeline, SomConfig config) {
    PBegin begin = PBegin.in(pipeline);
    SomSources.Read read =
        config.coco() != null
            ? CocoSource.read(begin, config.coco(), config.images())
            : config.regionEntity() != null
                ? RegionEntityMaskSource.read(begin, config.regionEntity())
                : ImageFolderInputs.read(begin, config.images());
    RecordIdentity<SomInput> input = Tagging.INPUT_IDENTITY;
    RecordIdentity<Tagging> image = Tagging.IDENTITY;
    Coder<Tagging> tagging = SerializableCoder.of(Tagging.class);
    Recipe<SomSample> recipe =
        Recipe.read(read.inputs(), read.rejects(), SomInput::sampleId)
            .alsoCounting(read.counts())
            // a COCO file is read by one worker: spread its images over all of them
            .through("Spread images", Reshuffle.viaRandomKey())
            .then("Check mask count", Stage.of(MARKS, new CheckMaskCount(config.maxMasks()), input))
            .then(
                "Load image",
                Stage.of(
                    IMAGE,
                    TagSteps.loadImage(config, CacheOptions.spec(pipeline.getOptions())),
                    input,
                    tagging))
            .then("Decode masks", Stage.of(MARKS, new DecodeMasks(config), image))
            .then("Number marks", Stage.of(MARKS, new NumberMarks(config.minPixels()), image))
            .then("Draw marks", Stage.of(MARKS, new DrawMarks(config), image))
            .then("Encode image", Stage.of(IMAGE, new EncodeImage(config.jpegQuality()), image))
            .then("List marks", Stage.of(LISTING, new ListMarks(config), image))
            .then(
                "Write conversation",
                Stage.of(
                    CONVERSATION,
                    new WriteConversation(config),
                    image,
                    AvroCoder.of(SomSample.class)));
    PCollection<SomSample> kept = recipe.kept();

    OutputLayout layout = new OutputLayout(config.output());
    List<PCollection<String>> stats = new ArrayList<>();
    stats.add(
        recipe
            .tallies()
            .apply("Sum tallies", Combine.globally(Tally.sum()))
            .apply(
                "Marks section",
                MapElements.into(TypeDescriptors.strings()).via(SomCounts::section)));
    stats.add(
        kept.apply(
                "Preview kept", Top.of(PREVIEWS, new SomPreview.ReverseIdOrder()).withoutDefaults())
            .apply("Drawn previews", ParDo.of(new SomPreview.PreviewFn())));
    stats.add(
        kept.apply(
            "Marks histogram",
            Histogram.of(
                "marks_per_image",
                (SomSample s) -> (double) s.getMarks().size(),
                1,
                2,
                4,
                8,
                16,
                32,
                64,
                128)));
    stats.add(
        kept.apply("LLaVA export", new LlavaExport(layout.exports("llava"), config.qa() != null)));
    recipe.write(layout, ROWS, SomSample::getSampleId, stats);
  }

  /**
   * The rows written to {@code data/}: the sample, its tagged image as Hugging Face {@code
   * datasets}' Image struct.
   */
  static final Recipe.Rows<SomSample> ROWS =
      Recipe.Rows.withImages(SomSample.getClassSchema(), Set.of("image"));

  /** The schema of the rows written to {@code data/}. */
  public static final Schema ROW_SCHEMA = ROWS.schema();
}
