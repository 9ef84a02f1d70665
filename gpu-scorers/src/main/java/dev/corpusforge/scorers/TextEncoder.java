package dev.corpusforge.scorers;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a bundle's text encoder through DJL's ONNX Runtime engine: tokenises a batch with the
 * bundle's Hugging Face tokenizer (padded to the longest caption, truncated at {@code max_length}),
 * and returns per caption the per-token embeddings of its real tokens' positions, the attention
 * mask and the pooled embedding (the model's own, or the mean over real tokens).
 *
 * <p>Not thread-safe (one DJL predictor); open one per worker thread.
 */
public final class TextEncoder implements AutoCloseable {
  private final BundleSpec.Text spec;
  private final HuggingFaceTokenizer tokenizer;
  private final ZooModel<NDList, NDList> model;
  private final Predictor<NDList, NDList> predictor;

  private TextEncoder(BundleSpec.Text spec, HuggingFaceTokenizer tokenizer, ZooModel<NDList, NDList> model) {
    this.spec = spec;
    this.tokenizer = tokenizer;
    this.model = model;
    this.predictor = model.newPredictor();
  }

  /** One caption's encoder output: tokens [length][dim] (padding rows included), mask [length], pooled [dim]. */
  public record Encoded(float[][] tokens, long[] mask, float[] pooled) {}

  /** Opens the text encoder of {@code bundle} on the CPU. */
  public static TextEncoder open(ModelBundle bundle) throws IOException {
    BundleSpec.Text text = bundle.spec().text();
    if (text == null) {
      throw new IllegalArgumentException("bundle " + bundle.spec().name() + " has no text encoder");
    }
    HuggingFaceTokenizer tokenizer =
        HuggingFaceTokenizer.builder()
            .optTokenizerPath(bundle.file(text.tokenizer()))
            .optMaxLength(text.maxLength())
            .optTruncation(true)
            .optPadding(true)
            .build();
    Criteria<NDList, NDList> criteria =
        Criteria.builder()
            .setTypes(NDList.class, NDList.class)
            .optModelPath(bundle.file(text.onnx()))
            .optEngine("OnnxRuntime")
            .optDevice(Device.cpu())
            .build();
    try {
      return new TextEncoder(text, tokenizer, criteria.loadModel());
    } catch (ModelNotFoundException | MalformedModelException e) {
      tokenizer.close();
      throw new IOException("cannot load " + bundle.file(text.onnx()) + ": " + e.getMessage(), e);
    }
  }

  public List<Encoded> encode(List<String> captions) throws TranslateException {
    Encoding[] encodings = tokenizer.batchEncode(captions);
    int batch = encodings.length;
    int length = encodings[0].getIds().length;
    long[][] ids = new long[batch][];
    long[][] mask = new long[batch][];
    long[][] types = new long[batch][];
    for (int i = 0; i < batch; i++) {
      ids[i] = encodings[i].getIds();
      mask[i] = encodings[i].getAttentionMask();
      types[i] = encodings[i].getTypeIds();
    }
    try (NDManager manager = model.getNDManager().newSubManager()) {
      NDList inputs = new NDList();
      for (Map.Entry<String, String> input : spec.inputs().entrySet()) {
        long[][] values = switch (input.getKey()) {
          case "input_ids" -> ids;
          case "attention_mask" -> mask;
          case "token_type_ids" -> types;
          default -> throw new IllegalArgumentException("unknown text input role " + input.getKey());
        };
        NDArray array = manager.create(values);
        array.setName(input.getValue());
        inputs.add(array);
      }
      NDList outputs = predictor.predict(inputs);
      NDArray tokens = outputs.get(spec.tokensOutput());
      float[] flat = tokens.toFloatArray();
      int dim = (int) tokens.getShape().get(2);
      float[] pooledFlat = spec.pooledOutput() == null ? null : outputs.get(spec.pooledOutput()).toFloatArray();
      List<Encoded> result = new ArrayList<>(batch);
      for (int i = 0; i < batch; i++) {
        float[][] rows = new float[length][dim];
        for (int t = 0; t < length; t++) {
          System.arraycopy(flat, (i * length + t) * dim, rows[t], 0, dim);
        }
        float[] pooled = new float[dim];
        if (pooledFlat != null) {
          System.arraycopy(pooledFlat, i * dim, pooled, 0, dim);
        } else {
          int real = 0;
          for (int t = 0; t < length; t++) {
            if (mask[i][t] != 0) {
              real++;
              for (int d = 0; d < dim; d++) {
                pooled[d] += rows[t][d];
              }
            }
          }
          for (int d = 0; d < dim; d++) {
            pooled[d] /= Math.max(1, real);
          }
        }
        result.add(new Encoded(rows, mask[i], pooled));
      }
      return result;
    }
  }

  @Override
  public void close() {
    predictor.close();
    model.close();
    tokenizer.close();
  }
}
