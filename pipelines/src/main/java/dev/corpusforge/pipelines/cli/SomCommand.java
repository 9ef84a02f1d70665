package dev.corpusforge.pipelines.cli;

import dev.corpusforge.annotators.som.AutoMasks;
import dev.corpusforge.annotators.som.Listing;
import dev.corpusforge.annotators.som.MarkLayout;
import dev.corpusforge.annotators.som.MarkStyle;
import dev.corpusforge.pipelines.llm.LlmConfig;
import dev.corpusforge.pipelines.run.OutputFiles;
import dev.corpusforge.pipelines.run.RunDriver;
import dev.corpusforge.pipelines.som.InstructionPool;
import dev.corpusforge.pipelines.som.ListerExamples;
import dev.corpusforge.pipelines.som.MarkQuestions;
import dev.corpusforge.pipelines.som.SomConfig;
import dev.corpusforge.pipelines.som.SomPipeline;
import dev.corpusforge.schemas.Reject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code forge run som}: Set-of-Mark tagged images with "list items one by one" conversations. */
@Command(
    name = "som",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Tag images with numbered marks over their instance masks (Set-of-Mark, SoM-LLaVA): shorter side to 640, masks smallest first and de-overlapped, numbers at each mask's deepest pixel → data/ Parquet and exports/llava/som_listing.json with the tagged images.")
public final class SomCommand implements Callable<Integer> {
  @Mixin RunOptions run;

  @Option(
      names = "--coco",
      paramLabel = "FILE",
      description =
          "COCO annotation JSON (polygons, uncompressed or compressed RLE); categories' names are the labels.")
  String coco;

  @Option(
      names = "--images",
      paramLabel = "DIR",
      description =
          "Folder the COCO file_names are under (default: the COCO file's folder); with --auto-masks, the images to tag.")
  String imageFolder;

  @Option(
      names = "--region-entity",
      paramLabel = "OUT",
      description =
          "A region-entity output folder: its masks, grouped by image, labelled with entity_name.")
  String regionEntity;

  @Option(
      names = "--auto-masks",
      description =
          "Segment every image under --images automatically (BoofCV Felzenszwalb–Huttenlocher on the CPU); needs --lister openai.")
  boolean autoMasks;

  @Option(
      names = "--auto-scale",
      defaultValue = "" + AutoMasks.DEFAULT_SCALE,
      description =
          "Automatic masks: segmentation scale k (larger: fewer, bigger masks). Default: ${DEFAULT-VALUE}.")
  float autoScale;

  @Option(
      names = "--auto-min-region",
      defaultValue = "" + AutoMasks.DEFAULT_MIN_REGION,
      description =
          "Automatic masks: smallest region in pixels (SoM's generator: 10). Default: ${DEFAULT-VALUE}.")
  int autoMinRegion;

  @Option(names = "--output", paramLabel = "URI", description = "Output folder, local or s3://.")
  String output;

  @Option(
      names = "--short-side",
      defaultValue = "" + SomConfig.DEFAULT_SHORT_SIDE,
      description =
          "Shorter side of the tagged image, bicubic; 0 keeps the input size. Default: ${DEFAULT-VALUE}.")
  int shortSide;

  @Option(
      names = "--min-mark-pixels",
      defaultValue = "" + MarkLayout.DEFAULT_MIN_PIXELS,
      description =
          "A mask with fewer pixels left after smaller masks took theirs is not numbered. Default: ${DEFAULT-VALUE}.")
  int minMarkPixels;

  @Option(
      names = "--max-masks",
      defaultValue = "" + SomConfig.DEFAULT_MAX_MASKS,
      description = "Images with more masks are too_many_masks rejects. Default: ${DEFAULT-VALUE}.")
  int maxMasks;

  @Option(
      names = "--mark-modes",
      split = ",",
      paramLabel = "MODE",
      description =
          "Also draw: outline, fill, box (each mark's border, a translucent fill, its bounding box). Default: numbers only, as SoM's listing data.")
  List<String> markModes = new ArrayList<>();

  @Option(
      names = "--font-size",
      defaultValue = "" + MarkStyle.DEFAULT_FONT_SIZE,
      description = "Size of the numbers (DejaVu Sans). Default: ${DEFAULT-VALUE}.")
  float fontSize;

  @Option(
      names = "--box-alpha",
      defaultValue = "" + MarkStyle.DEFAULT_BOX_ALPHA,
      description = "Opacity of the black box behind a number. Default: ${DEFAULT-VALUE}.")
  float boxAlpha;

  @Option(
      names = "--fill-alpha",
      defaultValue = "" + MarkStyle.DEFAULT_FILL_ALPHA,
      description = "Opacity of the fill mode. Default: ${DEFAULT-VALUE}.")
  float fillAlpha;

  @Option(
      names = "--jpeg-quality",
      defaultValue = "" + SomConfig.DEFAULT_JPEG_QUALITY,
      description = "Quality of the tagged JPEG. Default: ${DEFAULT-VALUE}.")
  float jpegQuality;

  @Option(
      names = "--max-label-chars",
      defaultValue = "" + Listing.DEFAULT_MAX_LABEL_CHARS,
      description =
          "Labels are made one line and cut to this many characters. Default: ${DEFAULT-VALUE}.")
  int maxLabelChars;

  @Option(
      names = "--lister",
      defaultValue = SomConfig.LISTER_LABELS,
      description =
          "labels (the masks' labels in mark order) or openai (an OpenAI-compatible vision endpoint lists the tagged image; its answer must list exactly 1…N). Default: ${DEFAULT-VALUE}.")
  String lister;

  @Option(
      names = "--lister-prompt",
      defaultValue = SomConfig.DEFAULT_LISTER_PROMPT,
      description =
          "openai: what the endpoint is asked; {n} is the number of marks. Default: ${DEFAULT-VALUE}")
  String listerPrompt;

  @Option(
      names = "--lister-examples",
      paramLabel = "DIR",
      description =
          "openai: worked examples sent before each image, as SoM-LLaVA prompts GPT-4V: tagged images NAME.jpg/.png with their answer lists NAME.txt (\"1. …\" lines), in name order, each a user turn (the prompt and the image) and an assistant turn (the answer), after a system message.")
  String listerExamples;

  @Option(
      names = "--lister-system",
      defaultValue = SomConfig.DEFAULT_LISTER_SYSTEM,
      description = "The system message sent with --lister-examples. Default: ${DEFAULT-VALUE}")
  String listerSystem;

  @Option(
      names = "--split",
      split = ",",
      defaultValue = "listing",
      paramLabel = "SPLIT",
      description =
          "listing (always: \"list the items one by one\", exports/llava/som_listing.json) and qa: questions about the marks answered from their labels (what is tag N, which numbers mark X, how many tags mark Y; --qa-templates), exports/llava/som_qa.json and the qa_conversation column. Default: ${DEFAULT-VALUE}.")
  List<String> splits;

  @Option(
      names = "--qa-templates",
      paramLabel = "FILE",
      description =
          "QA templates, one per line as KIND | QUESTION | ANSWER (what_is: {n} → {label}; which: {label} → {tags}; how_many: {label} → {count}). Default: the templates shipped with corpusforge.")
  String qaTemplates;

  @Option(
      names = "--qa-per-image",
      defaultValue = "" + MarkQuestions.DEFAULT_PER_IMAGE,
      description =
          "Questions in each image's QA conversation (fewer when there are fewer to ask). Default: ${DEFAULT-VALUE}.")
  int qaPerImage;

  @Option(
      names = "--instructions",
      paramLabel = "FILE",
      description =
          "Instruction pool, one per line ('#' comments); one is drawn per image with --seed. Default: the pool shipped with corpusforge (pipelines/README.md).")
  String instructions;

  @Option(
      names = "--seed",
      defaultValue = "0",
      description = "Seed of the instruction choice. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Mixin ChatEndpointOptions chat = new ChatEndpointOptions();

  @Mixin ImageLoadOptions imageLoad = new ImageLoadOptions();

  SomConfig config() throws IOException {
    if (output == null) {
      throw new IllegalArgumentException("som needs --output");
    }
    LlmConfig llm =
        SomConfig.LISTER_OPENAI.equals(lister)
            ? chat.config(output, LlmConfig.DEFAULT_MAX_TOKENS)
            : null;
    InstructionPool pool =
        instructions == null ? InstructionPool.defaults() : InstructionPool.load(instructions);
    for (String split : splits) {
      if (!split.equals("listing") && !split.equals("qa")) {
        throw new IllegalArgumentException("--split takes listing and qa, not '" + split + "'");
      }
    }
    MarkQuestions qa =
        !splits.contains("qa")
            ? null
            : qaTemplates == null
                ? MarkQuestions.defaults(qaPerImage)
                : MarkQuestions.load(qaTemplates, qaPerImage);
    return new SomConfig(
        coco,
        imageFolder,
        regionEntity,
        autoMasks ? new AutoMasks.Settings(autoScale, autoMinRegion) : null,
        output,
        shortSide,
        minMarkPixels,
        maxMasks,
        new MarkStyle(Set.copyOf(markModes), fontSize, boxAlpha, fillAlpha),
        jpegQuality,
        maxLabelChars,
        lister,
        llm,
        listerPrompt,
        listerExamples,
        listerSystem,
        qa,
        pool,
        seed,
        imageLoad.rules(),
        imageLoad.fetch());
  }

  static RunDriver.Job job(SomConfig config) {
    List<String> inputs = new ArrayList<>();
    for (String s :
        new String[] {
          config.coco(), config.regionEntity(), config.autoMasks() != null ? config.images() : null
        }) {
      if (s != null) {
        inputs.add(s);
      }
    }
    return new RunDriver.Job(
        SomPipeline.NAME,
        inputs,
        config.output(),
        config,
        Map.of("data", SomPipeline.ROW_SCHEMA, "reject", Reject.getClassSchema()),
        p -> SomPipeline.build(p, config));
  }

  @Override
  public Integer call() throws Exception {
    // file systems (s3://) are known before the configuration reads files and the preflight checks
    // bundles
    RunDriver.options(run.settings());
    SomConfig config = config();
    preflight(config);
    return Forge.drive(job(config), run.settings());
  }

  /** Local inputs exist before any work starts (remote ones are checked by the run). */
  static void preflight(SomConfig config) throws IOException {
    if (config.listerExamples() != null) {
      ListerExamples.load(config.listerExamples(), config.listerPrompt());
    }
    if (config.coco() != null
        && !config.coco().contains("://")
        && !OutputFiles.exists(config.coco())) {
      throw new IllegalArgumentException("--coco " + config.coco() + ": no such file");
    }
    if (config.regionEntity() != null
        && !config.regionEntity().contains("://")
        && OutputFiles.match(stripSlash(config.regionEntity()) + "/data/*.parquet").isEmpty()) {
      throw new IllegalArgumentException(
          "--region-entity "
              + config.regionEntity()
              + ": no data/*.parquet there (not a region-entity output?)");
    }
  }

  private static String stripSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }
}
