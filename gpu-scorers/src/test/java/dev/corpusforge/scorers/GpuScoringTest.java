package dev.corpusforge.scorers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import dev.corpusforge.filters.image.ImageCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The clip-art bundle on ONNX Runtime's CUDA provider gives the CPU's scores. Needs a GPU and a
 * -Pgpu build; skipped elsewhere.
 */
@Tag("gpu")
class GpuScoringTest {
  @Test
  void theGpuScoresLikeTheCpu() throws Exception {
    assumeTrue(DeviceChoice.gpuAvailable(), () -> "no usable GPU: " + DeviceChoice.whyNoGpu());
    ModelBundle bundle = ModelBundle.load(ClipartBundleTest.BUNDLE);
    List<PairScores> cpu;
    List<PairScores> gpu;
    try (LoadedBundle onCpu = LoadedBundle.open(bundle, Device.cpu(), 1);
        LoadedBundle onGpu = LoadedBundle.open(bundle, DeviceChoice.GPU.resolve(), 1);
        PairScorer c = PairScorer.open(onCpu);
        PairScorer g = PairScorer.open(onGpu)) {
      List<PairScorer.Pair> pairs = new ArrayList<>();
      try (Stream<Path> files = Files.walk(ClipartBundleTest.IMAGES)) {
        for (Path png :
            files.filter(p -> p.toString().endsWith(".png")).sorted().limit(32).toList()) {
          Path txt = png.resolveSibling(png.getFileName().toString().replace(".png", ".txt"));
          if (Files.exists(txt)) {
            pairs.add(
                new PairScorer.Pair(
                    c.preprocess(ImageCodec.decodeRgb(Files.readAllBytes(png))),
                    Files.readString(txt).strip()));
          }
        }
      }
      cpu = c.score(pairs, 1.0);
      gpu = g.score(pairs, 1.0);
    }
    for (int i = 0; i < cpu.size(); i++) {
      assertEquals(cpu.get(i).clip(), gpu.get(i).clip(), 1e-3, "clip " + i);
      assertEquals(cpu.get(i).filip(), gpu.get(i).filip(), 1e-3, "filip " + i);
    }
  }
}
