package dev.corpusforge.scorers;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a bundle's image encoder through DJL's ONNX Runtime engine on a batch of preprocessed images
 * ({@link ImagePreprocess#toTensor}), returning per image its tokens ([CLS] first when the bundle
 * says so, then the patches) and its pooled embedding.
 *
 * <p>Not thread-safe (one DJL predictor): make one per thread with {@link
 * LoadedBundle#imageEncoder()}.
 */
public final class ImageEncoder implements AutoCloseable {
  private final BundleSpec.Image spec;
  private final ZooModel<NDList, NDList> model;
  private final Predictor<NDList, NDList> predictor;

  ImageEncoder(BundleSpec.Image spec, ZooModel<NDList, NDList> model) {
    this.spec = spec;
    this.model = model;
    this.predictor = model.newPredictor();
  }

  /** One image's encoder output: tokens [tokens][dim], pooled [dim]. */
  public record Encoded(float[][] tokens, float[] pooled) {}

  public BundleSpec.Image spec() {
    return spec;
  }

  /** The input tensor of one image, as this encoder expects it. */
  public float[] preprocess(java.awt.image.BufferedImage rgb) {
    return ImagePreprocess.toTensor(rgb, spec.size(), spec.mean(), spec.std());
  }

  public List<Encoded> encode(List<float[]> pixels) throws TranslateException {
    int batch = pixels.size();
    if (batch == 0) {
      return List.of();
    }
    int passRows = TextEncoder.passRows(batch);
    int size = spec.size();
    int per = 3 * size * size;
    float[] flat = new float[passRows * per];
    for (int i = 0; i < batch; i++) {
      if (pixels.get(i).length != per) {
        throw new IllegalArgumentException(
            "image "
                + i
                + " has "
                + pixels.get(i).length
                + " values, the encoder takes 3×"
                + size
                + "×"
                + size);
      }
      System.arraycopy(pixels.get(i), 0, flat, i * per, per);
    }
    for (int r = batch; r < passRows; r++) {
      // never a pass of one row (TextEncoder.passRows): a lone image beside a copy of itself
      System.arraycopy(pixels.get(0), 0, flat, r * per, per);
    }
    try (NDManager manager = model.getNDManager().newSubManager()) {
      NDArray input = manager.create(flat, new Shape(passRows, 3, size, size));
      input.setName(spec.input());
      NDList outputs = predictor.predict(new NDList(input));
      NDArray tokens = output(outputs, spec.tokensOutput(), "image");
      NDArray pooled = output(outputs, spec.pooledOutput(), "image");
      int count = (int) tokens.getShape().get(1);
      int dim = (int) tokens.getShape().get(2);
      float[] tokenFlat = tokens.toFloatArray();
      float[] pooledFlat = pooled.toFloatArray();
      List<Encoded> result = new ArrayList<>(batch);
      for (int i = 0; i < batch; i++) {
        float[][] rows = new float[count][dim];
        for (int t = 0; t < count; t++) {
          System.arraycopy(tokenFlat, (i * count + t) * dim, rows[t], 0, dim);
        }
        float[] p = new float[dim];
        System.arraycopy(pooledFlat, i * dim, p, 0, dim);
        result.add(new Encoded(rows, p));
      }
      return result;
    }
  }

  /** The output called {@code name}; an error naming the real outputs when there is none. */
  static NDArray output(NDList outputs, String name, String role) {
    NDArray array = outputs.get(name);
    if (array == null) {
      throw new IllegalStateException(
          role
              + " encoder has no output '"
              + name
              + "'; it returned "
              + outputs.stream().map(NDArray::getName).toList());
    }
    return array;
  }

  /** Closes this thread's predictor; the shared model stays loaded. */
  @Override
  public void close() {
    predictor.close();
  }
}
