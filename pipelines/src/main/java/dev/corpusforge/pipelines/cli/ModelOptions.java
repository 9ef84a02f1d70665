package dev.corpusforge.pipelines.cli;

import dev.corpusforge.scorers.beam.ScoringConfig;
import picocli.CommandLine.Option;

/** How image-text batches pairs for its scorer ({@link ModelRuntimeOptions}: where it runs). */
public final class ModelOptions {
  @Option(
      names = "--score-batch-size",
      defaultValue = "" + ScoringConfig.DEFAULT_BATCH_SIZE,
      description = "Pairs per forward pass. Default: ${DEFAULT-VALUE}.")
  int batchSize;

  @Option(
      names = "--score-max-buffering-ms",
      defaultValue = "" + ScoringConfig.DEFAULT_MAX_BUFFERING_MILLIS,
      description = "Longest a pair waits for its batch to fill. Default: ${DEFAULT-VALUE}.")
  long maxBufferingMs;

  @Option(
      names = "--score-keys",
      defaultValue = "" + ScoringConfig.DEFAULT_KEYS,
      description =
          "Batches filling at once (batching keys); at least the parallelism to keep every worker busy. Default: ${DEFAULT-VALUE}.")
  int keys;

  ScoringConfig scoring(ModelRuntimeOptions runtime, String bundle, double filipTokenFraction) {
    return new ScoringConfig(
        bundle,
        runtime.deviceChoice(),
        batchSize,
        maxBufferingMs,
        runtime.threads,
        keys,
        filipTokenFraction);
  }
}
