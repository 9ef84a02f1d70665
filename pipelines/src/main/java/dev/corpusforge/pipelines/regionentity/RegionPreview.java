package dev.corpusforge.pipelines.regionentity;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corpusforge.annotators.region.AgreementRule;
import dev.corpusforge.annotators.region.Annotation;
import dev.corpusforge.annotators.region.BinaryMask;
import dev.corpusforge.annotators.region.MaskImages;
import dev.corpusforge.core.output.StatsLines;
import dev.corpusforge.pipelines.report.Thumbnail;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.Serializable;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;

/**
 * Report previews: the image small, with the kept mask tinted green, or for a rejected row each
 * annotator's mask (first red, second blue, third yellow) so the disagreement shows.
 */
final class RegionPreview {
  private static final Color[] ANNOTATOR_COLOURS = {
    new Color(0xd0, 0x30, 0x30), new Color(0x30, 0x60, 0xd0), new Color(0xd0, 0xb0, 0x20)
  };
  private static final Color KEPT = new Color(0x20, 0xb0, 0x40);

  private RegionPreview() {}

  static String kept(RegionRow row, BufferedImage rgb, BinaryMask mask, String facts) {
    BufferedImage small = MaskImages.workCopy(rgb, Thumbnail.SIDE);
    tint(small, MaskImages.resize(mask, small.getWidth(), small.getHeight()), KEPT);
    return line("kept", row, small, facts).toString();
  }

  static String rejected(
      RegionRow row, BufferedImage rgb, List<Annotation> answers, String reason, String detail) {
    BufferedImage small = MaskImages.workCopy(rgb, Thumbnail.SIDE);
    for (int i = 0; i < answers.size(); i++) {
      if (answers.get(i).found()) {
        tint(
            small,
            MaskImages.resize(answers.get(i).mask(), small.getWidth(), small.getHeight()),
            ANNOTATOR_COLOURS[i % ANNOTATOR_COLOURS.length]);
      }
    }
    StringBuilder facts = new StringBuilder();
    for (int i = 0; i < answers.size(); i++) {
      facts
          .append(i == 0 ? "" : " · ")
          .append(answers.get(i).annotator())
          .append(i < 3 ? " (" + new String[] {"red", "blue", "yellow"}[i] + ")" : "")
          .append(
              answers.get(i).found()
                  ? String.format(Locale.ROOT, " %.3f", answers.get(i).score())
                  : " none");
    }
    return line("rejected", row, small, facts.toString())
        .put("stage", RegionReasons.AGREEMENT)
        .put("reason", reason)
        .put(
            "detail",
            row.entityName() + " — “" + row.textPrompt() + "” · " + facts + " · " + detail)
        .toString();
  }

  private static ObjectNode line(String status, RegionRow row, BufferedImage drawn, String facts) {
    return StatsLines.line("preview")
        .put("status", status)
        .put("sample_id", row.sampleId())
        .put("source", row.source())
        .put("caption", row.entityName() + " — “" + row.textPrompt() + "”")
        .put("facts", facts)
        .put("thumbnail", Thumbnail.base64Jpeg(drawn));
  }

  /** Blends the colour at half strength into the masked pixels and outlines the mask. */
  private static void tint(BufferedImage img, BinaryMask m, Color c) {
    int w = img.getWidth();
    int h = img.getHeight();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        if (!m.get(x, y)) {
          continue;
        }
        boolean edge =
            x == 0
                || y == 0
                || x == w - 1
                || y == h - 1
                || !m.get(x - 1, y)
                || !m.get(x + 1, y)
                || !m.get(x, y - 1)
                || !m.get(x, y + 1);
        int v = img.getRGB(x, y);
        int r = edge ? c.getRed() : (((v >> 16) & 0xff) + c.getRed()) / 2;
        int g = edge ? c.getGreen() : (((v >> 8) & 0xff) + c.getGreen()) / 2;
        int b = edge ? c.getBlue() : ((v & 0xff) + c.getBlue()) / 2;
        img.setRGB(x, y, (r << 16) | (g << 8) | b);
      }
    }
  }

  /** Orders judged rows by sample id, largest first, so {@code Top} keeps the smallest ids. */
  static final class ReverseIdOrder implements Comparator<Annotating>, Serializable {
    @Override
    public int compare(Annotating a, Annotating b) {
      return b.row().sampleId().compareTo(a.row().sampleId());
    }
  }

  /** The preview of each chosen judged row: its agreed mask, or the answers it was rejected on. */
  static final class PreviewFn extends DoFn<KV<Boolean, List<Annotating>>, String> {
    @ProcessElement
    public void process(@Element KV<Boolean, List<Annotating>> chosen, OutputReceiver<String> out) {
      for (Annotating a : chosen.getValue()) {
        AgreementRule.Verdict verdict = a.verdict();
        BufferedImage rgb = a.image().image();
        if (!verdict.kept()) {
          out.output(rejected(a.row(), rgb, a.answers(), verdict.reason(), verdict.detail()));
          continue;
        }
        Double gtIou = a.gtIou();
        String facts =
            String.format(
                Locale.ROOT,
                "agreement %.3f · %s%s",
                verdict.agreement(),
                AnnotateSteps.scores(a.answers()),
                gtIou == null ? "" : String.format(Locale.ROOT, " · gt IoU %.3f", gtIou));
        out.output(kept(a.row(), rgb, verdict.mask(), facts));
      }
    }
  }
}
