package dev.corpusforge.scorers;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.util.cuda.CudaUtils;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where model stages run: {@code cpu}; {@code gpu} (ONNX Runtime's CUDA execution provider, from
 * the {@code onnxruntime_gpu} artifact; fails with a clear message where there is none); {@code
 * auto} (the GPU when there is one, otherwise the CPU, said once per JVM).
 */
public enum DeviceChoice {
  CPU,
  GPU,
  AUTO;

  private static final Logger LOG = LoggerFactory.getLogger(DeviceChoice.class);
  private static final AtomicBoolean FALLBACK_SAID = new AtomicBoolean();

  public static DeviceChoice parse(String value) {
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("device must be cpu, gpu or auto, not '" + value + "'");
    }
  }

  /**
   * The DJL device to load models on; throws {@link IllegalStateException} when {@code gpu} cannot
   * be had.
   */
  public Device resolve() {
    return switch (this) {
      case CPU -> Device.cpu();
      case GPU -> {
        String missing = whyNoGpu();
        if (missing != null) {
          throw new IllegalStateException(
              "--device gpu: " + missing + " (use --device auto to fall back to the CPU)");
        }
        yield Device.gpu();
      }
      case AUTO -> {
        String missing = whyNoGpu();
        if (missing == null) {
          yield Device.gpu();
        }
        if (FALLBACK_SAID.compareAndSet(false, true)) {
          LOG.info("--device auto: running models on the CPU ({})", missing);
        }
        yield Device.cpu();
      }
    };
  }

  /**
   * Null when a CUDA GPU and ONNX Runtime's CUDA provider are both usable; otherwise what is
   * missing.
   */
  public static String whyNoGpu() {
    if (!CudaUtils.hasCuda() || CudaUtils.getGpuCount() == 0) {
      return "no CUDA GPU is visible on this machine";
    }
    if (!Engine.getEngine("OnnxRuntime").hasCapability("CUDA")) {
      return "this build's ONNX Runtime has no CUDA execution provider; build with -Pgpu to use the onnxruntime_gpu artifact";
    }
    return null;
  }

  /** Whether a GPU can be used here (for tests tagged {@code gpu}). */
  public static boolean gpuAvailable() {
    return whyNoGpu() == null;
  }
}
