package dev.corpusforge.scorers;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A model bundle on disk, checked: {@link #load} reads {@code bundle.json}, checks that every file
 * it names exists, opens each ONNX model with ONNX Runtime (the engine under DJL's) and checks the
 * input and output names and the embedding dimension against the spec. Every problem is reported
 * with the bundle, the file and the name involved. Nothing is ever downloaded: a bundle is a
 * folder.
 */
public final class ModelBundle {
  public static final String SPEC_FILE = "bundle.json";
  static final ObjectMapper JSON =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final Path dir;
  private final BundleSpec spec;

  private ModelBundle(Path dir, BundleSpec spec) {
    this.dir = dir;
    this.spec = spec;
  }

  public Path dir() {
    return dir;
  }

  public BundleSpec spec() {
    return spec;
  }

  public Path file(String relative) {
    return dir.resolve(relative);
  }

  /**
   * Reads and checks the bundle in {@code dir}; throws {@link InvalidBundleException} naming what
   * is wrong.
   */
  public static ModelBundle load(Path dir) throws InvalidBundleException {
    Path specFile = dir.resolve(SPEC_FILE);
    if (!Files.isRegularFile(specFile)) {
      throw new InvalidBundleException("no " + SPEC_FILE + " in " + dir);
    }
    BundleSpec spec;
    try {
      spec = JSON.readValue(specFile.toFile(), BundleSpec.class);
    } catch (IOException e) {
      throw new InvalidBundleException(
          specFile + ": " + e.getMessage().lines().findFirst().orElse(""));
    }
    String name = spec.name() == null ? dir.getFileName().toString() : spec.name();
    List<String> problems = new ArrayList<>();
    if (spec.embeddingDim() <= 0) {
      problems.add("embedding_dim must be > 0");
    }
    if (spec.text() == null && spec.image() == null) {
      problems.add("neither a text nor an image encoder is described");
    }
    if (spec.text() != null) {
      checkText(dir, spec, problems);
    }
    if (spec.image() != null) {
      checkImage(dir, spec, problems);
    }
    if (!problems.isEmpty()) {
      throw new InvalidBundleException(
          "bundle " + name + " (" + dir + "): " + String.join("; ", problems));
    }
    return new ModelBundle(dir, spec);
  }

  private static void checkText(Path dir, BundleSpec spec, List<String> problems) {
    BundleSpec.Text text = spec.text();
    if (text.maxLength() <= 0) {
      problems.add("text.max_length must be > 0");
    }
    if (text.pooledOutput() == null && !"mean".equals(text.pooling())) {
      problems.add("text needs a pooled_output or pooling: mean");
    }
    if (text.inputs() == null
        || !text.inputs().containsKey("input_ids")
        || !text.inputs().containsKey("attention_mask")) {
      problems.add("text.inputs must name input_ids and attention_mask");
      return;
    }
    if (!exists(dir, "text.tokenizer", text.tokenizer(), problems)
        | !exists(dir, "text.onnx", text.onnx(), problems)) {
      return;
    }
    checkModel(
        dir.resolve(text.onnx()),
        "text",
        text.inputs().values(),
        new String[] {text.tokensOutput(), text.pooledOutput()},
        spec.embeddingDim(),
        problems);
  }

  private static void checkImage(Path dir, BundleSpec spec, List<String> problems) {
    BundleSpec.Image image = spec.image();
    if (image.size() <= 0) {
      problems.add("image.size must be > 0");
    }
    if (image.mean() == null
        || image.mean().size() != 3
        || image.std() == null
        || image.std().size() != 3) {
      problems.add("image.mean and image.std need 3 values (R, G, B)");
    }
    if (!exists(dir, "image.onnx", image.onnx(), problems)) {
      return;
    }
    checkModel(
        dir.resolve(image.onnx()),
        "image",
        List.of(image.input()),
        new String[] {image.tokensOutput(), image.pooledOutput()},
        spec.embeddingDim(),
        problems);
  }

  private static boolean exists(Path dir, String key, String relative, List<String> problems) {
    if (relative == null) {
      problems.add(key + " is not set");
      return false;
    }
    if (!Files.isRegularFile(dir.resolve(relative))) {
      problems.add(key + " names " + relative + ", which does not exist");
      return false;
    }
    return true;
  }

  private static void checkModel(
      Path onnx,
      String role,
      Iterable<String> inputs,
      String[] outputs,
      int dim,
      List<String> problems) {
    // DJL's engine creates the process-wide ONNX Runtime environment with its own settings; it
    // must come first, or DJL refuses to start later in this JVM
    ai.djl.engine.Engine.getEngine("OnnxRuntime");
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        OrtSession session = env.createSession(onnx.toString(), options)) {
      for (String input : inputs) {
        if (!session.getInputNames().contains(input)) {
          problems.add(
              role
                  + " model "
                  + onnx.getFileName()
                  + " has no input '"
                  + input
                  + "'; its inputs are "
                  + new TreeSet<>(session.getInputNames()));
        }
      }
      Map<String, NodeInfo> info = session.getOutputInfo();
      for (String output : outputs) {
        if (output == null) {
          continue;
        }
        NodeInfo node = info.get(output);
        if (node == null) {
          problems.add(
              role
                  + " model "
                  + onnx.getFileName()
                  + " has no output '"
                  + output
                  + "'; its outputs are "
                  + new TreeSet<>(info.keySet()));
          continue;
        }
        if (node.getInfo() instanceof TensorInfo tensor) {
          long[] shape = tensor.getShape();
          long last = shape.length == 0 ? -1 : shape[shape.length - 1];
          if (last > 0 && last != dim) {
            problems.add(
                role
                    + " output '"
                    + output
                    + "' has dimension "
                    + last
                    + ", bundle.json says embedding_dim "
                    + dim);
          }
        }
      }
    } catch (OrtException e) {
      problems.add(
          role
              + " model "
              + onnx.getFileName()
              + " cannot be opened by ONNX Runtime: "
              + e.getMessage());
    }
  }

  /** A bundle that cannot be used, and why. */
  public static final class InvalidBundleException extends Exception {
    public InvalidBundleException(String message) {
      super(message);
    }
  }
}
