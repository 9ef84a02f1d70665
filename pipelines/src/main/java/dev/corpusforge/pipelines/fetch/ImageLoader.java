package dev.corpusforge.pipelines.fetch;

import dev.corpusforge.core.RuleViolation;
import dev.corpusforge.core.Verdict;
import dev.corpusforge.core.cache.CacheSpec;
import dev.corpusforge.filters.image.ImageCodec;
import dev.corpusforge.filters.image.ImageReasons;
import dev.corpusforge.filters.image.ImageRules;
import dev.corpusforge.pipelines.io.Blobs;
import java.awt.image.BufferedImage;
import java.io.FileNotFoundException;
import java.io.IOException;
import org.apache.beam.sdk.io.FileSystems;

/**
 * Loads an image named by a location — a local path, anything Beam's file systems open (s3://), or
 * an http(s) URL through the guarded {@link Fetcher} — checks its size and header with the image
 * rules before decoding, and decodes it to RGB. Every failure is a {@link RuleViolation} with a
 * reason; a decoder failing in an unforeseen way is {@code image_unreadable}.
 */
public final class ImageLoader implements AutoCloseable {
  public static final String IMAGE_UNREADABLE = "image_unreadable";

  private final ImageRules rules;
  private final Fetcher fetcher;

  /** A loader whose URL fetches go through the run cache {@code cache} (null for none). */
  public ImageLoader(ImageRules rules, FetchConfig fetch, CacheSpec cache) {
    this.rules = rules;
    this.fetcher = new Fetcher(fetch, url -> false, cache);
  }

  /** The image's bytes, checked. */
  public byte[] bytes(String location) throws RuleViolation {
    byte[] bytes;
    if (location.startsWith("http://") || location.startsWith("https://")) {
      FetchResult fetched = fetcher.fetch(location);
      fetcher.reportMetrics();
      if (!fetched.ok()) {
        throw new RuleViolation(fetched.reason(), fetched.detail());
      }
      bytes = fetched.body();
    } else {
      try {
        bytes =
            Blobs.read(
                FileSystems.matchNewResource(location, false),
                rules.maxBytes() > 0 ? rules.maxBytes() : Long.MAX_VALUE);
      } catch (FileNotFoundException e) {
        throw new RuleViolation(IMAGE_UNREADABLE, "no such file: " + location);
      } catch (IOException | RuntimeException e) {
        throw new RuleViolation(
            IMAGE_UNREADABLE, e.getClass().getSimpleName() + ": " + e.getMessage());
      }
      if (bytes == null) {
        throw new RuleViolation(
            ImageReasons.IMAGE_TOO_LARGE_BYTES, "over " + rules.maxBytes() + " bytes");
      }
    }
    Verdict size = rules.checkBytes(bytes.length);
    if (!size.kept()) {
      throw new RuleViolation(size.reason(), size.detail());
    }
    Verdict header = rules.checkHeader(ImageCodec.probe(bytes));
    if (!header.kept()) {
      throw new RuleViolation(header.reason(), header.detail());
    }
    return bytes;
  }

  /** The image decoded to RGB. */
  public BufferedImage load(String location) throws RuleViolation {
    try {
      return ImageCodec.decodeRgb(bytes(location));
    } catch (RuleViolation v) {
      throw v;
    } catch (RuntimeException | OutOfMemoryError e) {
      // a reader or decoder that fails in an unforeseen way costs this image, never the bundle
      throw new RuleViolation(
          IMAGE_UNREADABLE, e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  @Override
  public void close() {
    fetcher.close();
  }
}
