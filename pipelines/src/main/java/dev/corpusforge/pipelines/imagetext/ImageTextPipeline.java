package dev.corpusforge.pipelines.imagetext;

import com.google.common.primitives.Floats;
import dev.corpusforge.core.Recipe;
import dev.corpusforge.core.ShallowCopy;
import dev.corpusforge.core.Stage;
import dev.corpusforge.core.StepResult;
import dev.corpusforge.core.output.Histograms;
import dev.corpusforge.core.output.OutputLayout;
import dev.corpusforge.core.read.TableFiles;
import dev.corpusforge.filters.ImageTextIdentity;
import dev.corpusforge.filters.blocklist.BlocklistSteps;
import dev.corpusforge.filters.dedup.CaptionFrequencyFilter;
import dev.corpusforge.filters.dedup.DecideOnKeys;
import dev.corpusforge.filters.dedup.ExactDuplicateFilter;
import dev.corpusforge.filters.dedup.NearDuplicateFilter;
import dev.corpusforge.filters.dedup.semantic.SemanticDuplicateFilter;
import dev.corpusforge.filters.image.ImageStep;
import dev.corpusforge.filters.language.LanguageStep;
import dev.corpusforge.filters.text.CaptionCleaner;
import dev.corpusforge.filters.text.TextStep;
import dev.corpusforge.pipelines.fetch.FetchImages;
import dev.corpusforge.pipelines.io.ImageFolderSource;
import dev.corpusforge.pipelines.io.UrlListSource;
import dev.corpusforge.pipelines.io.WebDatasetSource;
import dev.corpusforge.schemas.ImageTextSample;
import dev.corpusforge.schemas.Reject;
import dev.corpusforge.scorers.beam.AlignmentFilter;
import dev.corpusforge.scorers.beam.ImageTextPairs;
import dev.corpusforge.scorers.beam.ScorePairs;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Top;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The {@code image-text} pipeline (FILIP-style pairs): read → input columns → URL blocklist → text
 * rules → language → fetch (URL inputs) → hash blocklist → image rules → caption frequency → exact
 * and near image duplicates → alignment scores and filter (with a scoring model) → outputs.
 *
 * <p>Cheap stages run first, so no image is fetched or decoded for a pair whose caption is already
 * out. The caption frequency is counted over every caption read, as FILIP counts it over the whole
 * corpus.
 */
public final class ImageTextPipeline {
  public static final String NAME = "image-text";

  private ImageTextPipeline() {}

  /** Adds the whole pipeline, outputs included, to {@code pipeline}. */
  public static void build(Pipeline pipeline, ImageTextConfig config) {
    ImageTextIdentity identity = ImageTextIdentity.INSTANCE;
    StepResult<ImageTextSample> read = read(pipeline, config);
    PCollection<ImageTextSample> samples = read.kept();
    CaptionCleaner cleaner = new CaptionCleaner(config.unicodeForm());
    // FILIP counts a caption's frequency over the whole corpus: every caption read
    PCollection<String> allCaptions =
        samples
            .apply(
                "Captions read",
                MapElements.into(TypeDescriptors.strings())
                    .via(
                        (ImageTextSample s) -> {
                          String c = cleaner.clean(s.getCaption());
                          return c == null ? "" : c;
                        }))
            .apply("Drop absent captions", Filter.by((String c) -> !c.isEmpty()));

    Recipe<ImageTextSample> recipe = Recipe.read(read, ImageTextSample::getSampleId);
    if (config.columns().checks()) {
      // a precomputed score and the uid's form, before any fetch
      recipe =
          recipe.then(
              "Input columns",
              Stage.of(ColumnRules.STAGE, new ColumnRules.Check(config.columns()), identity));
    }
    if (config.blocklistUrls() != null) {
      // before any fetch
      recipe =
          recipe.then(
              "URL blocklist",
              Stage.of(
                  BlocklistSteps.STAGE, new BlocklistSteps.Urls(config.blocklistUrls()), identity));
    }
    recipe =
        recipe
            .then(
                "Text rules", Stage.of("text", new TextStep(cleaner, config.textRules()), identity))
            .then(
                "Language",
                Stage.of("language", new LanguageStep(config.languageRule()), identity));
    if (fetches(config)) {
      recipe =
          recipe.thenTransform("Fetch", FetchImages.with(config.fetch(), config.blocklistUrls()));
    }
    if (config.blocklistHashes() != null) {
      // on the raw bytes, before any decode
      recipe =
          recipe.then(
              "Hash blocklist",
              Stage.of(
                  BlocklistSteps.STAGE,
                  new BlocklistSteps.Hashes(config.blocklistHashes()),
                  identity));
    }
    recipe =
        recipe
            .then(
                "Image rules",
                Stage.of(
                    "image", new ImageStep(config.imageRules(), config.imageOutput()), identity))
            .thenTransform("Dedup", dedup(config, allCaptions, identity));
    if (config.scoring() != null) {
      recipe =
          recipe.thenTransform(
              "Alignment scores", ScorePairs.of(config.scoring(), ImageTextPairs.INSTANCE));
      if (config.alignment().filters()) {
        recipe =
            recipe.thenTransform(
                "Alignment filter",
                AlignmentFilter.of(config.alignment(), ImageTextPairs.INSTANCE));
      }
    }
    PCollection<String> semanticReport = null;
    if (config.semanticDedup() != null) {
      // after the alignment filter: a survivor is never dropped later, its duplicates with it
      SemanticDuplicateFilter<ImageTextSample> semantic =
          SemanticDuplicateFilter.of(
              ImageTextPipeline::imageEmbedding,
              ImageTextPreview::thumbnail,
              identity,
              config.semanticDedup());
      recipe = recipe.thenTransform("Semantic dedup", semantic);
      semanticReport = semantic.report();
    }
    PCollection<ImageTextSample> kept = recipe.kept();

    OutputLayout layout = new OutputLayout(config.output());
    List<PCollection<String>> stats = stats(kept, config, layout);
    if (semanticReport != null) {
      stats.add(semanticReport);
    }
    recipe.write(layout, ROWS, ImageTextSample::getSampleId, stats);
  }

  /**
   * The rows written to {@code data/}: the sample, its image as Hugging Face {@code datasets}'
   * Image struct.
   */
  static final Recipe.Rows<ImageTextSample> ROWS =
      Recipe.Rows.withImages(ImageTextSample.getClassSchema(), Set.of("image"));

  /** The schema of the rows written to {@code data/}. */
  public static final Schema ROW_SCHEMA = ROWS.schema();

  /** A sample's image embedding as floats, or null. */
  static float[] imageEmbedding(ImageTextSample s) {
    return s.getImageEmbedding() == null ? null : Floats.toArray(s.getImageEmbedding());
  }

  /**
   * Caption frequency, then exact and near image duplicates, decided on the records without their
   * image bytes: the images cross one shuffle, where the records kept are joined back.
   */
  private static DecideOnKeys<ImageTextSample> dedup(
      ImageTextConfig config, PCollection<String> allCaptions, ImageTextIdentity identity) {
    DecideOnKeys<ImageTextSample> dedup =
        DecideOnKeys.of(ImageTextPipeline::withoutImage, identity)
            .then(
                "Caption frequency",
                CaptionFrequencyFilter.of(
                    allCaptions, ImageTextSample::getCaption, identity, config.captionMaxCount()));
    if (config.exactDedup()) {
      dedup =
          dedup.then(
              "Exact duplicates", ExactDuplicateFilter.of(ImageTextSample::getPixelHash, identity));
    }
    if (config.nearDupRadius() >= 0) {
      dedup =
          dedup.then(
              "Near duplicates",
              NearDuplicateFilter.of(ImageTextSample::getPhash, identity, config.nearDupRadius()));
    }
    return dedup;
  }

  /** A shallow copy of {@code sample} without its image bytes. */
  static ImageTextSample withoutImage(ImageTextSample sample) {
    Map<String, Object> noImage = new HashMap<>();
    noImage.put("image", null);
    return ShallowCopy.with(sample, noImage);
  }

  /** The run's statistics of the kept pairs: histograms, previews, the WebDataset export. */
  private static List<PCollection<String>> stats(
      PCollection<ImageTextSample> kept, ImageTextConfig config, OutputLayout layout) {
    List<PCollection<String>> stats = new ArrayList<>();
    double[] sides = {0, 200, 256, 384, 512, 768, 1024, 2048, 4096};
    Histograms<ImageTextSample> histograms =
        Histograms.of(
                "caption_chars",
                (ImageTextSample s) ->
                    (double) s.getCaption().codePointCount(0, s.getCaption().length()),
                0,
                10,
                20,
                40,
                80,
                160,
                320,
                640)
            .and("original_width", (ImageTextSample s) -> (double) s.getOriginalWidth(), sides)
            .and("original_height", (ImageTextSample s) -> (double) s.getOriginalHeight(), sides)
            .and(
                "language_score",
                ImageTextSample::getLanguageScore,
                0,
                0.025,
                0.05,
                0.075,
                0.1,
                0.15,
                0.2,
                0.3,
                0.5);
    if (config.scoring() != null) {
      double[] scores = {-1, 0, 0.1, 0.2, 0.25, 0.28, 0.3, 0.35, 0.4, 0.5};
      histograms =
          histograms
              .and("clip_score", ImageTextSample::getClipScore, scores)
              .and("filip_score", ImageTextSample::getFilipScore, scores);
    }
    stats.add(kept.apply("Histograms", histograms));
    stats.add(
        kept.apply(
                "Preview kept",
                Top.of(config.previewCount(), new ImageTextPreview.ReverseIdOrder())
                    .withoutDefaults())
            .apply("Thumbnails", ParDo.of(new ImageTextPreview.ThumbnailFn())));
    if (config.scoring() != null && config.scoring().embeddings()) {
      stats.add(
          kept.apply(
              "Embeddings export",
              new EmbeddingsExport(layout.exports("embeddings"), config.embeddingsPartSize())));
    }
    if (config.columns().uidColumn() != null) {
      stats.add(
          kept.apply(
              "DataComp uids",
              new DataCompUids(layout.exports("datacomp"), config.columns().uidColumn())));
    }
    stats.add(
        kept.apply(
            "WebDataset export",
            new WebDatasetExport(
                layout.exports("webdataset"),
                config.wdsShardSize(),
                config.wdsShardsMultipleOf())));

    return stats;
  }

  /** Every input, each read by the reader of its format: folders, WebDataset shards, URL lists. */
  static StepResult<ImageTextSample> read(Pipeline pipeline, ImageTextConfig config) {
    List<PCollection<Reject>> rejects = new ArrayList<>();
    List<PCollection<ImageTextSample>> read = new ArrayList<>();
    Map<String, List<String>> byFormat = inputsByFormat(config);
    for (Map.Entry<String, List<String>> e : byFormat.entrySet()) {
      StepResult<ImageTextSample> r =
          switch (e.getKey()) {
            case "folder" ->
                pipeline.apply(
                    "Read folders", ImageFolderSource.of(e.getValue(), config.readLimits()));
            case "webdataset" ->
                pipeline.apply(
                    "Read WebDataset shards",
                    WebDatasetSource.of(e.getValue(), config.readLimits()));
            default ->
                pipeline.apply(
                    "Read URL lists", UrlListSource.of(e.getValue(), config.urlColumns()));
          };
      read.add(r.kept());
      rejects.add(r.rejects());
    }
    PCollection<ImageTextSample> samples =
        PCollectionList.of(read).apply("All samples", Flatten.pCollections());
    PCollection<Reject> readRejects =
        PCollectionList.of(rejects).apply("All read rejects", Flatten.pCollections());
    return new StepResult<>(pipeline, new TupleTag<>(), samples, new TupleTag<>(), readRejects);
  }

  /**
   * Whether any input is a URL list, whose images are fetched. Folders and WebDataset shards carry
   * their bytes, so without a URL list the run has no fetch step: the text, language and image
   * rules then run as one chain, and no record crosses an exchange between them.
   */
  static boolean fetches(ImageTextConfig config) {
    return inputsByFormat(config).keySet().stream()
        .anyMatch(format -> !format.equals("folder") && !format.equals("webdataset"));
  }

  /** Groups the inputs by format: the explicit one, or each input's by its extension. */
  static Map<String, List<String>> inputsByFormat(ImageTextConfig config) {
    Map<String, List<String>> byFormat = new LinkedHashMap<>();
    for (String input : config.inputs()) {
      String format =
          config.inputFormat().equals("auto") ? detectFormat(input) : config.inputFormat();
      byFormat.computeIfAbsent(format, k -> new ArrayList<>()).add(input);
    }
    return byFormat;
  }

  static String detectFormat(String input) {
    String lower = input.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".tar")
        || lower.contains(".tar*")
        || lower.endsWith("*.tar")
        || lower.matches(".*\\{[0-9.]+}\\.tar$")) {
      return "webdataset";
    }
    if (TableFiles.formatOf(lower) != null) {
      return "urls";
    }
    return "folder";
  }
}
