package dev.corpusforge.pipelines.cli;

import picocli.CommandLine.Option;

/** S3 access: endpoint, path-style addressing, region. Credentials come from the default AWS chain. */
public final class S3Options {
  @Option(names = "--s3-endpoint", paramLabel = "URL", description = "Endpoint of an S3-compatible server, e.g. http://127.0.0.1:9000. Default: AWS.")
  String endpoint;

  @Option(names = "--s3-path-style", description = "Address buckets by path, as most S3-compatible servers need.")
  boolean pathStyle;

  @Option(names = "--s3-region", paramLabel = "REGION", description = "S3 region; default from the AWS default chain (AWS_REGION, profile).")
  String region;
}
