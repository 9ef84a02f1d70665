package dev.corpusforge.scorers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pretrained MiniLM encoder through DJL + ONNX Runtime on the CPU. */
class TextEncoderTest {
  @TempDir static Path tmp;

  static LoadedBundle bundle;
  static TextEncoder encoder;

  @BeforeAll
  static void open() throws Exception {
    bundle = LoadedBundle.open(MiniLmBundle.writeTo(tmp.resolve("minilm")), ai.djl.Device.cpu(), 0);
    encoder = bundle.textEncoder();
  }

  /**
   * The built-in bundle's spec is written with every object's keys in order, so its bytes, and the
   * bundle's SHA-256 that keys the model caches, are the same in every JVM (a {@code Map.of}'s
   * order is not).
   */
  @Test
  void theBuiltInSpecIsWrittenTheSameInEveryJvm() throws Exception {
    com.fasterxml.jackson.databind.JsonNode spec =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(tmp.resolve("minilm").resolve(ModelBundle.SPEC_FILE).toFile());
    List<String> inputs = new java.util.ArrayList<>();
    spec.path("text").path("inputs").fieldNames().forEachRemaining(inputs::add);
    assertEquals(3, inputs.size(), spec.toString());
    assertEquals(inputs.stream().sorted().toList(), inputs);
    assertEquals(
        BundleFiles.digest(tmp.resolve("minilm").toString()),
        BundleFiles.digest(MiniLmBundle.resolve("minilm")));
  }

  @AfterAll
  static void close() {
    encoder.close();
    bundle.close();
  }

  @Test
  void similarCaptionsAreCloserThanUnrelatedOnes() throws Exception {
    List<TextEncoder.Encoded> e =
        encoder.encode(
            List.of(
                "a cat sleeping on a sofa",
                "a kitten asleep on the couch",
                "quarterly revenue of the bank fell sharply"));
    double similar = LateInteraction.clipScore(e.get(0).pooled(), e.get(1).pooled());
    double unrelated = LateInteraction.clipScore(e.get(0).pooled(), e.get(2).pooled());
    assertTrue(similar > unrelated + 0.3, similar + " vs " + unrelated);
    assertEquals(384, e.get(0).pooled().length);
  }

  @Test
  void theQuantisedBuiltInEmbedsAsTheFullModelDoes() throws Exception {
    List<String> texts =
        List.of(
            "a cat sleeping on a sofa",
            "a kitten asleep on the couch",
            "quarterly revenue of the bank fell sharply");
    List<TextEncoder.Encoded> full = encoder.encode(texts);
    Path folder = Path.of(MiniLmBundle.resolve("minilm-q"));
    ModelBundle q = ModelBundle.load(folder);
    assertEquals("all-minilm-l6-v2-q", q.spec().name());
    try (LoadedBundle loaded = LoadedBundle.open(q, ai.djl.Device.cpu(), 0);
        TextEncoder quantised = loaded.textEncoder()) {
      List<TextEncoder.Encoded> e = quantised.encode(texts);
      for (int i = 0; i < texts.size(); i++) {
        double agreement = LateInteraction.clipScore(full.get(i).pooled(), e.get(i).pooled());
        assertTrue(agreement > 0.97 && agreement < 0.9999, texts.get(i) + ": " + agreement);
      }
      double similar = LateInteraction.clipScore(e.get(0).pooled(), e.get(1).pooled());
      double unrelated = LateInteraction.clipScore(e.get(0).pooled(), e.get(2).pooled());
      assertTrue(similar > unrelated + 0.3, similar + " vs " + unrelated);
    }
  }

  @Test
  void aCaptionIsPaddedByItsOwnLengthWhateverItsBatch() throws Exception {
    TextEncoder.Encoded alone = encoder.encode(List.of("a red apple")).get(0);
    List<TextEncoder.Encoded> batch =
        encoder.encode(
            List.of(
                "a red apple",
                "a very much longer caption about a green pear lying on an old wooden kitchen table"));
    // [CLS] a red apple [SEP]: 5 real tokens, padded to 8 alone and next to a longer caption
    assertEquals(8, alone.tokens().length);
    assertEquals(8, batch.get(0).tokens().length);
    assertEquals(5, java.util.Arrays.stream(batch.get(0).mask()).sum());
    assertEquals(24, batch.get(1).tokens().length);
    org.junit.jupiter.api.Assertions.assertArrayEquals(alone.pooled(), batch.get(0).pooled());
  }
}
