package dev.corpusforge.pipelines.som;

import dev.corpusforge.annotators.region.BinaryMask;
import dev.corpusforge.annotators.region.CocoRle;
import dev.corpusforge.annotators.region.MaskImages;
import dev.corpusforge.annotators.som.AutoMasks;
import dev.corpusforge.annotators.som.Listing;
import dev.corpusforge.annotators.som.MarkLayout;
import dev.corpusforge.annotators.som.MarkRenderer;
import dev.corpusforge.core.Outcome;
import dev.corpusforge.core.Step;
import dev.corpusforge.core.Tally;
import dev.corpusforge.core.cache.CacheSpec;
import dev.corpusforge.filters.image.ImageCodec;
import dev.corpusforge.filters.image.RgbImage;
import dev.corpusforge.pipelines.fetch.LoadImageStep;
import dev.corpusforge.pipelines.llm.ChatClient;
import dev.corpusforge.schemas.CocoRleMask;
import dev.corpusforge.schemas.SomMark;
import dev.corpusforge.schemas.SomSample;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The steps of Set-of-Mark tagging (CORPORA.md §3), one per stage of {@link SomPipeline}: check the
 * mask count, load the image at the tagged size (shorter side {@code shortSide}, bicubic), decode
 * its masks at the input size and scale them (nearest) to the tagged size, number them ({@link
 * MarkLayout}), draw the numbers ({@link MarkRenderer}), encode the JPEG, list the marks (labels,
 * or a vision endpoint that must list exactly 1…N), and write the LLaVA conversation. Masks dropped
 * on the way are counted in the stages' tallies ({@link SomCounts}).
 */
final class TagSteps {
  private TagSteps() {}

  /** {@code too_many_masks}: more masks than {@code --max-masks}, before the image is loaded. */
  record CheckMaskCount(int maxMasks) implements Step<SomInput, SomInput> {
    @Override
    public Outcome<SomInput> apply(SomInput in) {
      return in.masks().size() > maxMasks
          ? Outcome.drop(
              SomReasons.TOO_MANY_MASKS, in.masks().size() + " masks > --max-masks " + maxMasks)
          : Outcome.keep(in);
    }
  }

  /** Loads the image ({@link LoadImageStep}) at the tagged size. */
  static LoadImageStep<SomInput, Tagging> loadImage(SomConfig config, CacheSpec cache) {
    int shortSide = config.shortSide();
    return new LoadImageStep<>(
        config.imageRules(),
        config.fetch(),
        cache,
        SomInput::source,
        (in, rgb) ->
            Tagging.loaded(
                in, rgb.getWidth(), rgb.getHeight(), new RgbImage(resized(rgb, shortSide))));
  }

  /** The image with its shorter side {@code shortSide} (0: as it is). */
  static BufferedImage resized(BufferedImage rgb, int shortSide) {
    int shortest = Math.min(rgb.getWidth(), rgb.getHeight());
    if (shortSide == 0 || shortest == shortSide) {
      return rgb;
    }
    double scale = (double) shortSide / shortest;
    int w = Math.max(1, (int) Math.round(rgb.getWidth() * scale));
    int h = Math.max(1, (int) Math.round(rgb.getHeight() * scale));
    return MaskImages.resize(rgb, w, h);
  }

  /**
   * The usable masks: the input's, decoded and scaled to the tagged size, or automatic ones. A mask
   * without a label (when no model lists the marks), invalid, or empty at the tagged size is
   * dropped and counted; an image left with none is {@code no_masks}.
   */
  record DecodeMasks(SomConfig config) implements Step<Tagging, Tagging> {
    @Override
    public Outcome<Tagging> apply(Tagging t) {
      Tally counted = Tally.empty();
      List<Tagging.Labelled> masks =
          config.autoMasks() != null ? autoMasks(t, counted) : decoded(t, counted);
      if (masks.isEmpty()) {
        SomInput in = t.input();
        return Outcome.<Tagging>drop(
                SomReasons.NO_MASKS,
                in.masks().isEmpty() && config.autoMasks() == null
                    ? "the image has no masks"
                    : "none of its "
                        + in.masks().size()
                        + " masks could be used (see the manifest's marks section)")
            .counting(counted);
      }
      return Outcome.keep(t.withMasks(masks)).counting(counted);
    }

    private List<Tagging.Labelled> autoMasks(Tagging t, Tally counted) {
      List<Tagging.Labelled> masks = new ArrayList<>();
      for (BinaryMask m : AutoMasks.of(t.base().image(), config.autoMasks())) {
        masks.add(new Tagging.Labelled(m, ""));
      }
      counted.add(SomCounts.MASKS_IN, masks.size());
      return masks;
    }

    private List<Tagging.Labelled> decoded(Tagging t, Tally counted) {
      counted.add(SomCounts.MASKS_IN, t.input().masks().size());
      BufferedImage base = t.base().image();
      List<Tagging.Labelled> masks = new ArrayList<>();
      for (SomInput.Mask m : t.input().masks()) {
        String label = label(m.label(), config.maxLabelChars(), counted);
        if (label.isEmpty() && !config.listsWithModel()) {
          counted.add(SomCounts.DROPPED + SomReasons.MASK_LABEL_EMPTY, 1);
          continue;
        }
        BinaryMask mask;
        try {
          mask = Segmentations.decode(m.segmentation(), t.inputWidth(), t.inputHeight());
        } catch (Segmentations.Invalid e) {
          counted.add(SomCounts.DROPPED + e.reason, 1);
          continue;
        }
        mask = MaskImages.resize(mask, base.getWidth(), base.getHeight());
        if (mask.isEmpty()) {
          counted.add(SomCounts.DROPPED + SomReasons.MASK_EMPTY, 1);
          continue;
        }
        masks.add(new Tagging.Labelled(mask, label));
      }
      return masks;
    }
  }

  /**
   * Numbers the masks ({@link MarkLayout}: smaller masks keep their pixels, a mark needs {@code
   * minPixels}); masks left too small are counted; an image left with no mark is {@code no_marks}.
   */
  record NumberMarks(int minPixels) implements Step<Tagging, Tagging> {
    @Override
    public Outcome<Tagging> apply(Tagging t) {
      List<MarkLayout.Mark> marks =
          MarkLayout.layout(t.masks().stream().map(Tagging.Labelled::mask).toList(), minPixels);
      Tally counted = Tally.of(SomCounts.TOO_SMALL, t.masks().size() - marks.size());
      if (marks.isEmpty()) {
        return Outcome.<Tagging>drop(
                SomReasons.NO_MARKS,
                t.masks().size()
                    + " masks, none with "
                    + minPixels
                    + " pixels left after smaller ones took theirs")
            .counting(counted);
      }
      return Outcome.keep(t.withMarks(marks)).counting(counted);
    }
  }

  /** Draws the numbers on the image ({@link MarkRenderer}, in {@code --mark-style}). */
  record DrawMarks(SomConfig config) implements Step<Tagging, Tagging> {
    @Override
    public Outcome<Tagging> apply(Tagging t) {
      return Outcome.keep(
          t.withTagged(
              new RgbImage(MarkRenderer.render(t.base().image(), t.marks(), config.style()))));
    }
  }

  /** Encodes the tagged image as JPEG at {@code --jpeg-quality}. */
  record EncodeImage(float quality) implements Step<Tagging, Tagging> {
    @Override
    public Outcome<Tagging> apply(Tagging t) {
      try {
        return Outcome.keep(t.withJpeg(ImageCodec.encode(t.tagged().image(), "jpeg", quality)));
      } catch (IOException e) {
        return Outcome.drop(
            SomReasons.IMAGE_UNREADABLE, "the tagged image did not encode: " + e.getMessage());
      }
    }
  }

  /**
   * The marks' labels, in mark order: the masks' own, or, with a vision model, its answer, which
   * must list exactly the marks 1…N ({@code listing_mismatch}).
   */
  static final class ListMarks implements Step<Tagging, Tagging> {
    private final SomConfig config;
    private transient ChatClient lister;
    private transient List<ChatClient.Shot> examples;

    ListMarks(SomConfig config) {
      this.config = config;
    }

    @Override
    public void setup() throws java.io.IOException {
      if (config.listsWithModel()) {
        lister = new ChatClient(config.llm());
        examples =
            config.listerExamples() == null
                ? List.of()
                : ListerExamples.load(config.listerExamples(), config.listerPrompt());
      }
    }

    @Override
    public Outcome<Tagging> apply(Tagging t) {
      List<MarkLayout.Mark> marks = t.marks();
      if (lister == null) {
        List<String> labels = new ArrayList<>();
        for (MarkLayout.Mark m : marks) {
          labels.add(t.masks().get(m.source()).label());
        }
        return Outcome.keep(t.withLabels(labels));
      }
      String prompt = config.listerPrompt().replace("{n}", Integer.toString(marks.size()));
      String image = "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(t.jpeg());
      ChatClient.Answer answer =
          examples.isEmpty()
              ? lister.ask(prompt, image)
              : lister.ask(config.listerSystem(), examples, prompt, image);
      if (answer.reason() != null) {
        return Outcome.drop(answer.reason(), answer.detail());
      }
      List<String> listed = Listing.parse(answer.text(), marks.size());
      if (listed == null) {
        return Outcome.drop(
            SomReasons.LISTING_MISMATCH,
            "the answer does not list exactly the marks 1…"
                + marks.size()
                + ": "
                + Listing.clean(answer.text(), 200));
      }
      Tally counted = Tally.empty();
      List<String> labels = new ArrayList<>();
      for (String l : listed) {
        labels.add(label(l, config.maxLabelChars(), counted));
      }
      return Outcome.keep(t.withLabels(labels)).counting(counted);
    }

    @Override
    public void teardown() {
      if (lister != null) {
        lister.close();
      }
    }
  }

  /**
   * The sample: marks as COCO RLE, the listing, an instruction drawn per sample, the conversation.
   */
  record WriteConversation(SomConfig config) implements Step<Tagging, SomSample> {
    @Override
    public Outcome<SomSample> apply(Tagging t) {
      String listing = Listing.of(t.labels());
      String sampleId = t.input().sampleId();
      String instruction = config.instructions().choose(config.seed(), sampleId);
      List<SomMark> rows = new ArrayList<>();
      for (MarkLayout.Mark m : t.marks()) {
        CocoRle.Rle rle = CocoRle.encode(m.mask());
        rows.add(
            new SomMark(
                m.id(),
                t.labels().get(m.id() - 1),
                m.x(),
                m.y(),
                m.area(),
                new CocoRleMask(List.of(rle.height(), rle.width()), rle.counts())));
      }
      SomSample sample =
          SomSample.newBuilder()
              .setSampleId(sampleId)
              .setSource(t.input().source())
              .setImage(ByteBuffer.wrap(t.jpeg()))
              .setWidth(t.width())
              .setHeight(t.height())
              .setMarks(rows)
              .setListing(listing)
              .setInstruction(instruction)
              .setConversation(
                  LlavaExport.record(
                      sampleId, List.of(new MarkQuestions.Turn(instruction, listing))))
              .setQaConversation(
                  config.qa() == null
                      ? null
                      : LlavaExport.record(
                          sampleId, config.qa().ask(config.seed(), sampleId, t.labels())))
              .build();
      return Outcome.keep(sample)
          .counting(Tally.of(SomCounts.IMAGES_TAGGED, 1).add(SomCounts.MARKS, t.marks().size()));
    }
  }

  /** A label cleaned and cut to {@code maxChars}; a cut one is counted. */
  static String label(String raw, int maxChars, Tally counted) {
    String clean = Listing.clean(raw, maxChars);
    if (!clean.equals(Listing.clean(raw, Integer.MAX_VALUE))) {
      counted.add(SomCounts.LABELS_CUT, 1);
    }
    return clean;
  }
}
