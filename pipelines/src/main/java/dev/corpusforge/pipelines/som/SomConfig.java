package dev.corpusforge.pipelines.som;

import dev.corpusforge.annotators.som.AutoMasks;
import dev.corpusforge.annotators.som.MarkStyle;
import dev.corpusforge.filters.image.ImageRules;
import dev.corpusforge.pipelines.fetch.FetchConfig;
import dev.corpusforge.pipelines.llm.LlmConfig;
import dev.corpusforge.pipelines.run.ReadsFiles;
import java.io.Serializable;

/**
 * Everything a som run computes with; echoed in the manifest. Exactly one input: {@code coco} (with
 * {@code images}, the folder its file names are under), {@code regionEntity} (a region-entity
 * output folder), or {@code autoMasks} over the image folder {@code images}.
 *
 * @param shortSide the tagged image's shorter side (SoM: 640); 0 keeps the input size
 * @param minPixels a mask with fewer pixels left after de-overlapping is not numbered (SoM: 110)
 * @param maxMasks an image with more masks than this is {@code too_many_masks}
 * @param lister {@code labels} (the masks' labels) or {@code openai} (a vision endpoint, {@code
 *     llm})
 * @param listerPrompt what the vision endpoint is asked; {@code {n}} is the number of marks
 * @param listerExamples a folder of worked examples shown before each image ({@link
 *     ListerExamples}), or null
 * @param listerSystem the system message sent with the examples
 * @param qa the QA split's questions, or null for the listing split alone
 */
public record SomConfig(
    String coco,
    String images,
    String regionEntity,
    AutoMasks.Settings autoMasks,
    String output,
    int shortSide,
    int minPixels,
    int maxMasks,
    MarkStyle style,
    float jpegQuality,
    int maxLabelChars,
    String lister,
    LlmConfig llm,
    String listerPrompt,
    String listerExamples,
    String listerSystem,
    MarkQuestions qa,
    InstructionPool instructions,
    long seed,
    ImageRules imageRules,
    FetchConfig fetch)
    implements Serializable, ReadsFiles {
  public static final int DEFAULT_SHORT_SIDE = 640;
  public static final int DEFAULT_MAX_MASKS = 1000;
  public static final float DEFAULT_JPEG_QUALITY = 0.9f;
  public static final String LISTER_LABELS = "labels";
  public static final String LISTER_OPENAI = "openai";
  public static final String DEFAULT_LISTER_PROMPT =
      "Every object of interest in this image is tagged with a white number on a black box, "
          + "{n} tags in all. List what each tag marks, one line per tag in the order of the numbers, as \"1. name\", \"2. name\" and so on up to {n}. "
          + "Give only the list.";
  public static final String DEFAULT_LISTER_SYSTEM =
      "You are a visual assistant. Each image you are shown has numbered tags placed at the centres of "
          + "some objects and background areas; a tag belongs to the object under it, never to one away "
          + "from it. List every tag's item one by one, in the order of the numbers; where an item is "
          + "occluded or unclear, say so in its line.";

  public SomConfig {
    int inputs =
        (coco != null ? 1 : 0) + (regionEntity != null ? 1 : 0) + (autoMasks != null ? 1 : 0);
    if (inputs != 1) {
      throw new IllegalArgumentException(
          "som needs exactly one input: --coco FILE [--images DIR], --region-entity OUT, or --auto-masks --images DIR");
    }
    if (autoMasks != null && images == null) {
      throw new IllegalArgumentException("--auto-masks needs --images DIR");
    }
    if (!LISTER_LABELS.equals(lister) && !LISTER_OPENAI.equals(lister)) {
      throw new IllegalArgumentException("--lister must be labels or openai, not '" + lister + "'");
    }
    if (LISTER_OPENAI.equals(lister) && llm == null) {
      throw new IllegalArgumentException("--lister openai needs --endpoint and --llm-model");
    }
    if (listerExamples != null && !LISTER_OPENAI.equals(lister)) {
      throw new IllegalArgumentException(
          "--lister-examples are shown to a vision endpoint: add --lister openai");
    }
    if (autoMasks != null && LISTER_LABELS.equals(lister)) {
      throw new IllegalArgumentException(
          "automatic masks have no labels: use --lister openai with --auto-masks");
    }
    if (shortSide < 0
        || minPixels < 1
        || maxMasks < 1
        || maxLabelChars < 1
        || !(jpegQuality > 0 && jpegQuality <= 1)) {
      throw new IllegalArgumentException(
          "need --short-side ≥ 0, --min-mark-pixels ≥ 1, --max-masks ≥ 1, --max-label-chars ≥ 1, --jpeg-quality in (0, 1]");
    }
  }

  @Override
  public java.util.List<String> filesRead() {
    return listerExamples == null ? java.util.List.of() : java.util.List.of(listerExamples);
  }

  boolean listsWithModel() {
    return LISTER_OPENAI.equals(lister);
  }
}
