package dev.corpusforge.pipelines.imagetext;

import dev.corpusforge.core.output.StatsLines;
import dev.corpusforge.pipelines.report.Thumbnail;
import dev.corpusforge.schemas.ImageTextSample;
import java.io.Serializable;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;

/** Report previews of kept pairs: a small JPEG thumbnail and the caption, as stats lines. */
final class ImageTextPreview {
  private ImageTextPreview() {}

  /** Orders by sample id, largest first, so {@code Top.of} keeps the smallest ids. */
  static final class ReverseIdOrder implements Comparator<ImageTextSample>, Serializable {
    @Override
    public int compare(ImageTextSample a, ImageTextSample b) {
      return b.getSampleId().compareTo(a.getSampleId());
    }
  }

  static final class ThumbnailFn extends DoFn<List<ImageTextSample>, String> {
    @ProcessElement
    public void process(@Element List<ImageTextSample> samples, OutputReceiver<String> out) {
      for (ImageTextSample s : samples) {
        var line =
            StatsLines.line("preview")
                .put("status", "kept")
                .put("sample_id", s.getSampleId())
                .put("source", s.getSource())
                .put("caption", s.getCaption())
                .put("width", s.getWidth())
                .put("height", s.getHeight())
                .put("language", s.getLanguage())
                .put("language_score", s.getLanguageScore());
        if (s.getFilipScore() != null) {
          line.put("clip_score", s.getClipScore()).put("filip_score", s.getFilipScore());
        }
        line.put("thumbnail", thumbnail(s));
        out.output(line.toString());
      }
    }
  }

  /** A base64 JPEG thumbnail of the sample's encoded image, or null. */
  static String thumbnail(ImageTextSample s) {
    if (s.getImage() == null) {
      return null;
    }
    byte[] bytes = new byte[s.getImage().remaining()];
    s.getImage().duplicate().get(bytes);
    return Thumbnail.base64Jpeg(bytes);
  }
}
