package dev.corpusforge.pipelines.cli;

import dev.corpusforge.pipelines.run.RunDriver;
import dev.corpusforge.pipelines.run.RunSettings;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * S3 access: endpoint, path-style addressing, region. Credentials come from the default AWS chain.
 */
public final class S3Options {
  @Option(
      names = "--s3-endpoint",
      paramLabel = "URL",
      description =
          "Endpoint of an S3-compatible server, e.g. http://127.0.0.1:9000. Default: AWS.")
  String endpoint;

  @Option(
      names = "--s3-path-style",
      description = "Address buckets by path, as most S3-compatible servers need.")
  boolean pathStyle;

  @Option(
      names = "--s3-region",
      paramLabel = "REGION",
      description = "S3 region; default from the AWS default chain (AWS_REGION, profile).")
  String region;

  /** The same options as {@code forge} arguments, for the runs a schedule starts. */
  List<String> forgeArgs() {
    List<String> args = new ArrayList<>();
    if (endpoint != null) {
      args.addAll(List.of("--s3-endpoint", endpoint));
    }
    if (pathStyle) {
      args.add("--s3-path-style");
    }
    if (region != null) {
      args.addAll(List.of("--s3-region", region));
    }
    return args;
  }

  /**
   * Points this process's Beam file systems (s3:// listing and reading) at the configured store.
   */
  void applyToFileSystems() {
    RunDriver.options(
        new RunSettings("direct", RunSettings.EMBEDDED, 0, endpoint, pathStyle, region, false, 0));
  }
}
