package dev.corpusforge.pipelines.io;

import java.io.Serializable;

/**
 * Caps applied while reading, so one huge file never fills a worker's memory.
 *
 * @param maxImageBytes largest image file or tar member read (larger ones are rejected unread)
 * @param maxCaptionBytes largest caption file read
 * @param captionField the caption field of JSON sidecars ({@code key.json})
 */
public record ReadLimits(long maxImageBytes, long maxCaptionBytes, String captionField)
    implements Serializable {
  public static final long DEFAULT_MAX_CAPTION_BYTES = 1L << 20;
}
