package dev.corpusforge.pipelines.som;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corpusforge.annotators.region.BinaryMask;
import dev.corpusforge.annotators.region.CocoRle;
import dev.corpusforge.annotators.region.MaskImages;
import dev.corpusforge.annotators.som.AutoMasks;
import dev.corpusforge.annotators.som.Listing;
import dev.corpusforge.annotators.som.MarkLayout;
import dev.corpusforge.annotators.som.MarkRenderer;
import dev.corpusforge.core.Rejects;
import dev.corpusforge.core.RuleViolation;
import dev.corpusforge.core.output.ProgressMeter;
import dev.corpusforge.core.output.StatsLines;
import dev.corpusforge.filters.image.ImageCodec;
import dev.corpusforge.pipelines.fetch.ImageLoader;
import dev.corpusforge.pipelines.llm.ChatClient;
import dev.corpusforge.pipelines.report.PreviewSelection;
import dev.corpusforge.schemas.CocoRleMask;
import dev.corpusforge.schemas.Reject;
import dev.corpusforge.schemas.SomMark;
import dev.corpusforge.schemas.SomSample;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.TreeMap;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.TupleTag;
import org.joda.time.Instant;

/**
 * Tags one image (CORPORA.md §3): loads it, resizes it so the shorter side is {@code shortSide}
 * (bicubic), decodes its masks at the input size and scales them (nearest) to the tagged size,
 * numbers them ({@link MarkLayout}), draws the numbers ({@link MarkRenderer}), lists the marks
 * (labels, or a vision endpoint that must list exactly 1…N), draws an instruction, and writes the
 * LLaVA conversation. A kept {@link SomSample} or a reject; masks dropped on the way are counted.
 */
final class TagFn extends DoFn<SomInput, SomSample> {
  static final int PREVIEWS = 12;

  private final SomConfig config;
  private final TupleTag<SomSample> keptTag;
  private final TupleTag<Reject> rejectTag;
  private final TupleTag<String> countTag;
  private final TupleTag<String> previewTag;
  private transient ImageLoader images;
  private transient ChatClient lister;
  private transient TreeMap<String, String> previews;

  TagFn(
      SomConfig config,
      TupleTag<SomSample> keptTag,
      TupleTag<Reject> rejectTag,
      TupleTag<String> countTag,
      TupleTag<String> previewTag) {
    this.config = config;
    this.keptTag = keptTag;
    this.rejectTag = rejectTag;
    this.countTag = countTag;
    this.previewTag = previewTag;
  }

  @Setup
  public void setup() {
    images = new ImageLoader(config.imageRules(), config.fetch());
    if (config.listsWithModel()) {
      lister = new ChatClient(config.llm());
    }
  }

  @StartBundle
  public void start() {
    previews = new TreeMap<>();
  }

  /** A mask ready for numbering, with its label. */
  private record Labelled(BinaryMask mask, String label) {}

  @ProcessElement
  public void process(@Element SomInput in, MultiOutputReceiver out) {
    ProgressMeter.processed();
    try {
      tag(in, out);
    } catch (RuntimeException | OutOfMemoryError e) {
      // an unforeseen failure costs this image, never the bundle
      reject(out, in, SomReasons.MARKS, Rejects.errorReason(e), "tagging: " + e.getMessage());
    }
  }

  private void tag(SomInput in, MultiOutputReceiver out) {
    if (in.masks().size() > config.maxMasks()) {
      reject(
          out,
          in,
          SomReasons.MARKS,
          SomReasons.TOO_MANY_MASKS,
          in.masks().size() + " masks > --max-masks " + config.maxMasks());
      return;
    }
    BufferedImage rgb;
    try {
      rgb = images.load(in.source());
    } catch (RuleViolation v) {
      reject(out, in, SomReasons.IMAGE, v.reason(), v.detail());
      return;
    }
    BufferedImage base = resized(rgb);
    List<Labelled> masks;
    try {
      masks =
          config.autoMasks() != null
              ? autoMasks(base, out)
              : decodeMasks(
                  in, rgb.getWidth(), rgb.getHeight(), base.getWidth(), base.getHeight(), out);
    } catch (RuntimeException | OutOfMemoryError e) {
      reject(out, in, SomReasons.MARKS, Rejects.errorReason(e), "masks: " + e.getMessage());
      return;
    }
    if (masks.isEmpty()) {
      reject(
          out,
          in,
          SomReasons.MARKS,
          SomReasons.NO_MASKS,
          in.masks().isEmpty() && config.autoMasks() == null
              ? "the image has no masks"
              : "none of its "
                  + in.masks().size()
                  + " masks could be used (see the manifest's marks section)");
      return;
    }
    List<MarkLayout.Mark> marks =
        MarkLayout.layout(masks.stream().map(Labelled::mask).toList(), config.minPixels());
    count(out, SomCounts.TOO_SMALL, masks.size() - marks.size());
    if (marks.isEmpty()) {
      reject(
          out,
          in,
          SomReasons.MARKS,
          SomReasons.NO_MARKS,
          masks.size()
              + " masks, none with "
              + config.minPixels()
              + " pixels left after smaller ones took theirs");
      return;
    }
    BufferedImage tagged = MarkRenderer.render(base, marks, config.style());
    byte[] jpeg;
    try {
      jpeg = ImageCodec.encode(tagged, "jpeg", config.jpegQuality());
    } catch (IOException e) {
      reject(
          out,
          in,
          SomReasons.IMAGE,
          SomReasons.IMAGE_UNREADABLE,
          "the tagged image did not encode: " + e.getMessage());
      return;
    }
    List<String> labels = new ArrayList<>();
    for (MarkLayout.Mark m : marks) {
      labels.add(masks.get(m.source()).label());
    }
    if (lister != null) {
      ChatClient.Answer answer =
          lister.ask(
              config.listerPrompt().replace("{n}", Integer.toString(marks.size())),
              "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(jpeg));
      if (answer.reason() != null) {
        reject(out, in, SomReasons.LISTING, answer.reason(), answer.detail());
        return;
      }
      List<String> listed = Listing.parse(answer.text(), marks.size());
      if (listed == null) {
        reject(
            out,
            in,
            SomReasons.LISTING,
            SomReasons.LISTING_MISMATCH,
            "the answer does not list exactly the marks 1…"
                + marks.size()
                + ": "
                + Listing.clean(answer.text(), 200));
        return;
      }
      labels = new ArrayList<>();
      for (String l : listed) {
        labels.add(label(l, out));
      }
    }
    String listing = Listing.of(labels);
    String instruction = config.instructions().choose(config.seed(), in.sampleId());
    List<SomMark> rows = new ArrayList<>();
    for (MarkLayout.Mark m : marks) {
      CocoRle.Rle rle = CocoRle.encode(m.mask());
      rows.add(
          new SomMark(
              m.id(),
              labels.get(m.id() - 1),
              m.x(),
              m.y(),
              m.area(),
              new CocoRleMask(List.of(rle.height(), rle.width()), rle.counts())));
    }
    count(out, SomCounts.IMAGES_TAGGED, 1);
    count(out, SomCounts.MARKS, marks.size());
    out.get(keptTag)
        .output(
            SomSample.newBuilder()
                .setSampleId(in.sampleId())
                .setSource(in.source())
                .setImage(ByteBuffer.wrap(jpeg))
                .setWidth(tagged.getWidth())
                .setHeight(tagged.getHeight())
                .setMarks(rows)
                .setListing(listing)
                .setInstruction(instruction)
                .setConversation(conversation(in.sampleId(), instruction, listing))
                .build());
    PreviewSelection.offer(
        previews,
        PREVIEWS,
        in.sampleId(),
        () ->
            SomPreview.kept(
                in.sampleId(), in.source(), tagged, instruction, listing, marks.size()));
  }

  /**
   * The LLaVA record: {@code {id, image, conversations: [{from: human, value: "<image>\n…"}, {from:
   * gpt, value}]}}.
   */
  static String conversation(String sampleId, String instruction, String listing) {
    ObjectNode n =
        StatsLines.JSON
            .createObjectNode()
            .put("id", sampleId)
            .put("image", LlavaExport.imagePath(sampleId));
    ArrayNode turns = n.putArray("conversations");
    turns.addObject().put("from", "human").put("value", "<image>\n" + instruction);
    turns.addObject().put("from", "gpt").put("value", listing);
    return n.toString();
  }

  private BufferedImage resized(BufferedImage rgb) {
    int shortest = Math.min(rgb.getWidth(), rgb.getHeight());
    if (config.shortSide() == 0 || shortest == config.shortSide()) {
      return rgb;
    }
    double scale = (double) config.shortSide() / shortest;
    int w = Math.max(1, (int) Math.round(rgb.getWidth() * scale));
    int h = Math.max(1, (int) Math.round(rgb.getHeight() * scale));
    return MaskImages.resize(rgb, w, h);
  }

  private List<Labelled> autoMasks(BufferedImage base, MultiOutputReceiver out) {
    List<Labelled> masks = new ArrayList<>();
    for (BinaryMask m : AutoMasks.of(base, config.autoMasks())) {
      masks.add(new Labelled(m, ""));
    }
    count(out, SomCounts.MASKS_IN, masks.size());
    return masks;
  }

  private List<Labelled> decodeMasks(
      SomInput in,
      int width,
      int height,
      int taggedWidth,
      int taggedHeight,
      MultiOutputReceiver out) {
    count(out, SomCounts.MASKS_IN, in.masks().size());
    List<Labelled> masks = new ArrayList<>();
    for (SomInput.Mask m : in.masks()) {
      String label = label(m.label(), out);
      if (label.isEmpty() && !config.listsWithModel()) {
        count(out, SomCounts.DROPPED + SomReasons.MASK_LABEL_EMPTY, 1);
        continue;
      }
      BinaryMask mask;
      try {
        mask = Segmentations.decode(m.segmentation(), width, height);
      } catch (Segmentations.Invalid e) {
        count(out, SomCounts.DROPPED + e.reason, 1);
        continue;
      }
      mask = MaskImages.resize(mask, taggedWidth, taggedHeight);
      if (mask.isEmpty()) {
        count(out, SomCounts.DROPPED + SomReasons.MASK_EMPTY, 1);
        continue;
      }
      masks.add(new Labelled(mask, label));
    }
    return masks;
  }

  private String label(String raw, MultiOutputReceiver out) {
    String clean = Listing.clean(raw, config.maxLabelChars());
    if (!clean.equals(Listing.clean(raw, Integer.MAX_VALUE))) {
      count(out, SomCounts.LABELS_CUT, 1);
    }
    return clean;
  }

  private void count(MultiOutputReceiver out, String name, long n) {
    SomSources.count(out.get(countTag), name, n);
  }

  private void reject(
      MultiOutputReceiver out, SomInput in, String stage, String reason, String detail) {
    out.get(rejectTag).output(Rejects.of(in.sampleId(), in.source(), stage, reason, detail));
  }

  @FinishBundle
  public void finish(FinishBundleContext c) {
    for (String line : previews.values()) {
      c.output(previewTag, line, Instant.now(), GlobalWindow.INSTANCE);
    }
  }

  @Teardown
  public void teardown() {
    if (images != null) {
      images.close();
    }
    if (lister != null) {
      lister.close();
    }
  }
}
