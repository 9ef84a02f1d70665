package dev.corpusforge.pipelines.som;

import dev.corpusforge.annotators.region.MaskImages;
import dev.corpusforge.core.output.StatsLines;
import dev.corpusforge.pipelines.report.Thumbnail;
import java.awt.image.BufferedImage;

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
}
