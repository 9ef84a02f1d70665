package dev.corpusforge.scorers;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDList;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A checked bundle with its models loaded through DJL's ONNX Runtime engine on one device. Shared
 * by every thread of a worker JVM; each thread makes its own encoders ({@link #textEncoder}, {@link
 * #imageEncoder}), which hold one DJL predictor each.
 */
public final class LoadedBundle implements AutoCloseable {
  private final ModelBundle bundle;
  private final Device device;
  private final HuggingFaceTokenizer tokenizer;
  private final ZooModel<NDList, NDList> textModel;
  private final ZooModel<NDList, NDList> imageModel;

  private LoadedBundle(
      ModelBundle bundle,
      Device device,
      HuggingFaceTokenizer tokenizer,
      ZooModel<NDList, NDList> textModel,
      ZooModel<NDList, NDList> imageModel) {
    this.bundle = bundle;
    this.device = device;
    this.tokenizer = tokenizer;
    this.textModel = textModel;
    this.imageModel = imageModel;
  }

  /**
   * Loads the encoders of {@code bundle} on {@code device}.
   *
   * @param intraOpThreads ONNX Runtime threads per inference call; 0 lets ONNX Runtime use every
   *     core
   */
  public static LoadedBundle open(ModelBundle bundle, Device device, int intraOpThreads)
      throws IOException {
    HuggingFaceTokenizer tokenizer = null;
    ZooModel<NDList, NDList> text = null;
    ZooModel<NDList, NDList> image = null;
    try {
      BundleSpec spec = bundle.spec();
      if (spec.text() != null) {
        tokenizer =
            HuggingFaceTokenizer.builder()
                .optTokenizerPath(bundle.file(spec.text().tokenizer()))
                .optMaxLength(spec.text().maxLength())
                .optTruncation(true)
                .optPadding(false)
                .build();
        text = load(bundle.file(spec.text().onnx()), device, intraOpThreads);
      }
      if (spec.image() != null) {
        image = load(bundle.file(spec.image().onnx()), device, intraOpThreads);
      }
      return new LoadedBundle(bundle, device, tokenizer, text, image);
    } catch (IOException | RuntimeException e) {
      closeAll(tokenizer, text, image);
      throw e;
    }
  }

  /**
   * One ONNX model through DJL's ONNX Runtime engine on {@code device} (for bundles of other kinds,
   * such as detectors).
   */
  public static ZooModel<NDList, NDList> loadOnnx(Path onnx, Device device, int intraOpThreads)
      throws IOException {
    return load(onnx, device, intraOpThreads);
  }

  private static ZooModel<NDList, NDList> load(Path onnx, Device device, int intraOpThreads)
      throws IOException {
    Criteria.Builder<NDList, NDList> criteria =
        Criteria.builder()
            .setTypes(NDList.class, NDList.class)
            .optModelPath(onnx)
            .optEngine("OnnxRuntime")
            .optDevice(device);
    if (intraOpThreads > 0) {
      criteria
          .optOption("intraOpNumThreads", Integer.toString(intraOpThreads))
          .optOption("interOpNumThreads", "1");
    }
    try {
      return criteria.build().loadModel();
    } catch (ModelNotFoundException | MalformedModelException e) {
      throw new IOException("cannot load " + onnx + " on " + device + ": " + e.getMessage(), e);
    }
  }

  public ModelBundle bundle() {
    return bundle;
  }

  public Device device() {
    return device;
  }

  /** A new text encoder for the calling thread; throws when the bundle has none. */
  public TextEncoder textEncoder() {
    if (textModel == null) {
      throw new IllegalStateException("bundle " + bundle.spec().name() + " has no text encoder");
    }
    return new TextEncoder(bundle.spec().text(), tokenizer, textModel);
  }

  /** A new image encoder for the calling thread; throws when the bundle has none. */
  public ImageEncoder imageEncoder() {
    if (imageModel == null) {
      throw new IllegalStateException("bundle " + bundle.spec().name() + " has no image encoder");
    }
    return new ImageEncoder(bundle.spec().image(), imageModel);
  }

  @Override
  public void close() {
    closeAll(tokenizer, textModel, imageModel);
  }

  private static void closeAll(AutoCloseable... all) {
    for (AutoCloseable c : all) {
      if (c != null) {
        try {
          c.close();
        } catch (Exception ignored) {
          // closing native handles; nothing left to do
        }
      }
    }
  }
}
