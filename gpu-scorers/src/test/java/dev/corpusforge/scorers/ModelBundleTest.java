package dev.corpusforge.scorers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bundle checks on the real MiniLM encoder shipped in a Maven artifact. */
class ModelBundleTest {
  @TempDir static Path tmp;

  static Path good;

  @BeforeAll
  static void writeMiniLm() throws Exception {
    good = tmp.resolve("minilm");
    MiniLmBundle.writeTo(good);
  }

  private static Path variant(String name, String from, String to) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve(name));
    Files.createSymbolicLink(dir.resolve("text.onnx"), good.resolve("text.onnx"));
    Files.copy(good.resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
    Files.writeString(
        dir.resolve("bundle.json"),
        Files.readString(good.resolve("bundle.json")).replace(from, to));
    return dir;
  }

  @Test
  void theMiniLmBundleLoads() throws Exception {
    ModelBundle bundle = ModelBundle.load(good);
    assertEquals(384, bundle.spec().embeddingDim());
    assertEquals("last_hidden_state", bundle.spec().text().tokensOutput());
  }

  @Test
  void aWrongOutputNameIsNamedWithTheRealOnes() throws Exception {
    Path dir = variant("bad-output", "\"last_hidden_state\"", "\"token_embeddings\"");
    ModelBundle.InvalidBundleException e =
        assertThrows(ModelBundle.InvalidBundleException.class, () -> ModelBundle.load(dir));
    assertTrue(
        e.getMessage().contains("has no output 'token_embeddings'")
            && e.getMessage().contains("[last_hidden_state]"),
        e.getMessage());
  }

  @Test
  void aMismatchedDimensionIsReported() throws Exception {
    Path dir = variant("bad-dim", "\"embedding_dim\" : 384", "\"embedding_dim\" : 512");
    ModelBundle.InvalidBundleException e =
        assertThrows(ModelBundle.InvalidBundleException.class, () -> ModelBundle.load(dir));
    assertTrue(
        e.getMessage().contains("has dimension 384, bundle.json says embedding_dim 512"),
        e.getMessage());
  }

  @Test
  void aMissingFileIsNamed() throws Exception {
    Path dir = variant("missing-file", "\"tokenizer.json\"", "\"vocab.json\"");
    ModelBundle.InvalidBundleException e =
        assertThrows(ModelBundle.InvalidBundleException.class, () -> ModelBundle.load(dir));
    assertTrue(
        e.getMessage().contains("text.tokenizer names vocab.json, which does not exist"),
        e.getMessage());
  }

  @Test
  void aFolderWithoutSpecOrWithUnknownKeysIsRefused() throws Exception {
    assertTrue(
        assertThrows(
                ModelBundle.InvalidBundleException.class,
                () -> ModelBundle.load(tmp.resolve("nowhere")))
            .getMessage()
            .contains("no bundle.json"));
    Path dir = variant("unknown-key", "\"max_length\"", "\"max_lenght\"");
    assertTrue(
        assertThrows(ModelBundle.InvalidBundleException.class, () -> ModelBundle.load(dir))
            .getMessage()
            .contains("max_lenght"));
  }
}
