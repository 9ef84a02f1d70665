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
  static TextEncoder encoder;

  @BeforeAll
  static void open() throws Exception {
    encoder = TextEncoder.open(MiniLmBundle.writeTo(tmp.resolve("minilm")));
  }

  @AfterAll
  static void close() {
    encoder.close();
  }

  @Test
  void similarCaptionsAreCloserThanUnrelatedOnes() throws Exception {
    List<TextEncoder.Encoded> e = encoder.encode(List.of("a cat sleeping on a sofa", "a kitten asleep on the couch", "quarterly revenue of the bank fell sharply"));
    double similar = LateInteraction.clipScore(e.get(0).pooled(), e.get(1).pooled());
    double unrelated = LateInteraction.clipScore(e.get(0).pooled(), e.get(2).pooled());
    assertTrue(similar > unrelated + 0.3, similar + " vs " + unrelated);
    assertEquals(384, e.get(0).pooled().length);
  }

  @Test
  void paddingDoesNotChangeACaptionsEmbedding() throws Exception {
    float[] alone = encoder.encode(List.of("a red apple")).get(0).pooled();
    List<TextEncoder.Encoded> batch = encoder.encode(List.of("a red apple", "a very much longer caption about a green pear lying on an old wooden kitchen table"));
    assertTrue(batch.get(0).tokens().length > encoder.encode(List.of("a red apple")).get(0).tokens().length, "the short caption was padded");
    assertEquals(1.0, LateInteraction.clipScore(alone, batch.get(0).pooled()), 1e-4);
    long real = java.util.Arrays.stream(batch.get(0).mask()).sum();
    assertTrue(real < batch.get(0).mask().length);
  }
}
