package dev.corpusforge.pipelines.som;

import dev.corpusforge.annotators.region.MaskImages;
import dev.corpusforge.core.RuleViolation;
import dev.corpusforge.core.output.StatsLines;
import dev.corpusforge.filters.image.ImageCodec;
import dev.corpusforge.pipelines.report.Thumbnail;
import dev.corpusforge.schemas.SomSample;
import java.awt.image.BufferedImage;
import java.io.Serializable;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * Report gallery entries: the tagged image, small enough to inline but large enough to read its
 * numbers, with the listing as caption.
 */
final class SomPreview {
  static final int SIDE = 480;

  private SomPreview() {}

  static String kept(
      String sampleId,
      String source,
      BufferedImage tagged,
      String instruction,
      String listing,
      int marks) {
    return StatsLines.line("preview")
        .put("status", "kept")
        .put("sample_id", sampleId)
        .put("source", source)
        .put("caption", listing)
        .put("facts", marks + " marks · “" + instruction + "”")
        .put("wide", true)
        .put("thumbnail", Thumbnail.base64Jpeg(MaskImages.workCopy(tagged, SIDE)))
        .toString();
  }

  /** Orders by sample id, largest first, so {@code Top.of} keeps the smallest ids. */
  static final class ReverseIdOrder implements Comparator<SomSample>, Serializable {
    @Override
    public int compare(SomSample a, SomSample b) {
      return b.getSampleId().compareTo(a.getSampleId());
    }
  }

  /** A preview line per chosen sample, its tagged image drawn from the sample's JPEG. */
  static final class PreviewFn extends DoFn<List<SomSample>, String> {
    @ProcessElement
    public void process(@Element List<SomSample> samples, OutputReceiver<String> out)
        throws RuleViolation {
      for (SomSample s : samples) {
        byte[] jpeg = new byte[s.getImage().remaining()];
        s.getImage().duplicate().get(jpeg);
        out.output(
            kept(
                s.getSampleId(),
                s.getSource(),
                ImageCodec.decodeRgb(jpeg),
                s.getInstruction(),
                s.getListing(),
                s.getMarks().size()));
      }
    }
  }
}
