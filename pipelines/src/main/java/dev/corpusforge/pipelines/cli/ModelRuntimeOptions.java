package dev.corpusforge.pipelines.cli;

import dev.corpusforge.scorers.DeviceChoice;
import picocli.CommandLine.Option;

/**
 * Where a pipeline's ONNX models run, the same flags in every pipeline that has one (image-text's
 * scorer, region-entity's encoders, graph-summary's alignment encoder).
 */
public final class ModelRuntimeOptions {
  @Option(
      names = "--device",
      defaultValue = "auto",
      description =
          "cpu, gpu (ONNX Runtime's CUDA provider; fails where there is none) or auto (the GPU when there is one, else the CPU). Default: ${DEFAULT-VALUE}.")
  String device;

  @Option(
      names = "--model-threads",
      defaultValue = "1",
      description =
          "ONNX Runtime threads per forward pass; each worker thread runs its own passes. 0: every core. Default: ${DEFAULT-VALUE}.")
  int threads;

  DeviceChoice deviceChoice() {
    return DeviceChoice.parse(device);
  }
}
