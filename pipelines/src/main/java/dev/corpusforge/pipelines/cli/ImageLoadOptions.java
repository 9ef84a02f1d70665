package dev.corpusforge.pipelines.cli;

import dev.corpusforge.filters.image.ImageRules;
import dev.corpusforge.pipelines.fetch.FetchConfig;
import picocli.CommandLine.Option;

/**
 * Flags of the image loading that region-entity and som share: the image rules checked before
 * decoding, and the fetcher's address guard.
 */
public final class ImageLoadOptions {
  @Option(
      names = "--max-image-bytes",
      defaultValue = "" + ImageRules.DEFAULT_MAX_BYTES,
      description = "Default: ${DEFAULT-VALUE}.")
  long maxImageBytes;

  @Option(
      names = "--max-image-pixels",
      defaultValue = "" + ImageRules.DEFAULT_MAX_PIXELS,
      description = "Default: ${DEFAULT-VALUE}.")
  long maxImagePixels;

  @Option(
      names = "--min-image-side",
      defaultValue = "32",
      description =
          "Images with a shorter side under this are rejected. Default: ${DEFAULT-VALUE}.")
  int minImageSide;

  @Option(
      names = "--allow-private-addresses",
      description =
          "Allow fetching image URLs from loopback, private and link-local addresses (refused by default).")
  boolean allowPrivateAddresses;

  ImageRules rules() {
    return new ImageRules(maxImageBytes, maxImagePixels, minImageSide, 0);
  }

  FetchConfig fetch() {
    return FetchConfig.defaults()
        .withAllowPrivateAddresses(allowPrivateAddresses)
        .withLimits(FetchConfig.DEFAULT_DEADLINE_MILLIS, maxImageBytes);
  }
}
