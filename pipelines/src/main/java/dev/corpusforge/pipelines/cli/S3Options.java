package dev.corpusforge.pipelines.cli;

import picocli.CommandLine.Option;

/** S3 access options for commands that only read outputs. */
public final class S3Options {
  @Option(names = "--s3-endpoint", paramLabel = "URL", description = "Endpoint of an S3-compatible server. Default: AWS.")
  String endpoint;

  @Option(names = "--s3-path-style", description = "Address buckets by path.")
  boolean pathStyle;

  @Option(names = "--s3-region", paramLabel = "REGION", description = "S3 region; default from the AWS default chain.")
  String region;
}
