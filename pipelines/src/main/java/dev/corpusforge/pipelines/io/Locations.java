package dev.corpusforge.pipelines.io;

import org.apache.beam.sdk.io.fs.ResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;

/** Where a file named inside another file (a table row, a COCO {@code file_name}) lies. */
public final class Locations {
  private Locations() {}

  /**
   * {@code name} as written when it is absolute ({@code /…}) or has a scheme ({@code s3://}, {@code
   * https://}); otherwise resolved against {@code folder}.
   *
   * @throws RuntimeException when {@code name} cannot be resolved there
   */
  public static String resolveIn(ResourceId folder, String name) {
    if (name.startsWith("/") || name.contains("://")) {
      return name;
    }
    return folder.resolve(name, ResolveOptions.StandardResolveOptions.RESOLVE_FILE).toString();
  }

  /** {@code name} resolved against the folder of {@code file}. */
  public static String resolve(ResourceId file, String name) {
    return resolveIn(file.getCurrentDirectory(), name);
  }
}
