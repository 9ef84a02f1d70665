package dev.corpusforge.pipelines.cli;

import dev.corpusforge.scorers.DeviceChoice;
import dev.corpusforge.scorers.beam.ScoringConfig;
import picocli.CommandLine.Option;

/** Options of model stages: where models run and how pairs are batched for them. */
public final class ModelOptions {
  @Option(
      names = "--device",
      defaultValue = "auto",
      description =
          "cpu, gpu (ONNX Runtime's CUDA provider; fails where there is none) or auto (the GPU when there is one, else the CPU). Default: ${DEFAULT-VALUE}.")
  String device;

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
      names = "--score-threads",
      defaultValue = "" + ScoringConfig.DEFAULT_THREADS,
      description =
          "ONNX Runtime threads per forward pass; each worker thread runs its own passes. 0: every core. Default: ${DEFAULT-VALUE}.")
  int threads;

  @Option(
      names = "--score-keys",
      defaultValue = "" + ScoringConfig.DEFAULT_KEYS,
      description =
          "Batches filling at once (batching keys); at least the parallelism to keep every worker busy. Default: ${DEFAULT-VALUE}.")
  int keys;

  ScoringConfig scoring(String bundle, double filipTokenFraction) {
    return new ScoringConfig(
        bundle,
        DeviceChoice.parse(device),
        batchSize,
        maxBufferingMs,
        threads,
        keys,
        filipTokenFraction);
  }
}
