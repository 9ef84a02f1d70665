package dev.corpusforge.pipelines.io;

import java.io.Serializable;
import java.util.List;

/**
 * Caps applied while reading, so one huge file never fills a worker's memory, and the input columns
 * a read record carries.
 *
 * @param maxImageBytes largest image file or tar member read (larger ones are rejected unread)
 * @param maxCaptionBytes largest caption file read
 * @param captionField the caption field of JSON sidecars ({@code key.json})
 * @param carriedColumns fields of JSON sidecars copied into each record's {@code columns}
 */
public record ReadLimits(
    long maxImageBytes, long maxCaptionBytes, String captionField, List<String> carriedColumns)
    implements Serializable {
  public static final long DEFAULT_MAX_CAPTION_BYTES = 1L << 20;

  public ReadLimits {
    carriedColumns = List.copyOf(carriedColumns);
  }

  /** Caps alone: no column carried. */
  public ReadLimits(long maxImageBytes, long maxCaptionBytes, String captionField) {
    this(maxImageBytes, maxCaptionBytes, captionField, List.of());
  }
}
