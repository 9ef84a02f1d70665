package dev.corpusforge.scorers;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs a bundle's text encoder through DJL's ONNX Runtime engine: tokenises a batch with the
 * bundle's Hugging Face tokenizer (truncated at {@code max_length}; padded with {@code pad_id} to a
 * length that depends on the caption alone, see {@link #LENGTH_STEP}), and returns per caption the
 * per-token embeddings of its real tokens' positions, the attention mask and the pooled embedding
 * (the model's own, or the mean over real tokens).
 *
 * <p>Not thread-safe (one DJL predictor): make one per thread with {@link
 * LoadedBundle#textEncoder()}.
 */
public final class TextEncoder implements AutoCloseable {
  private final BundleSpec.Text spec;
  private final HuggingFaceTokenizer tokenizer;
  private final ZooModel<NDList, NDList> model;
  private final Predictor<NDList, NDList> predictor;

  TextEncoder(
      BundleSpec.Text spec, HuggingFaceTokenizer tokenizer, ZooModel<NDList, NDList> model) {
    this.spec = spec;
    this.tokenizer = tokenizer;
    this.model = model;
    this.predictor = model.newPredictor();
  }

  /**
   * One caption's encoder output: tokens [length][dim] (padding rows included), mask [length],
   * pooled [dim].
   */
  public record Encoded(float[][] tokens, long[] mask, float[] pooled) {}

  public List<Encoded> encode(List<String> captions) throws TranslateException {
    Encoding[] encodings = tokenizer.batchEncode(captions);
    Map<Integer, List<Integer>> byLength = new TreeMap<>();
    for (int i = 0; i < encodings.length; i++) {
      byLength
          .computeIfAbsent(paddedLength(encodings[i].getIds().length), k -> new ArrayList<>())
          .add(i);
    }
    Encoded[] result = new Encoded[encodings.length];
    for (Map.Entry<Integer, List<Integer>> group : byLength.entrySet()) {
      List<Integer> members = group.getValue();
      List<Encoded> encoded = run(members.stream().map(i -> encodings[i]).toList(), group.getKey());
      for (int j = 0; j < members.size(); j++) {
        result[members.get(j)] = encoded.get(j);
      }
    }
    return List.of(result);
  }

  /**
   * Captions run in groups padded to a multiple of {@value #LENGTH_STEP} tokens, so a caption's
   * padded length, and with it every float its embedding is computed from, depends on the caption
   * alone and never on the other captions of its batch.
   */
  static final int LENGTH_STEP = 8;

  private int paddedLength(int tokens) {
    if (spec.padToMaxLength()) {
      return Math.max(spec.maxLength(), tokens);
    }
    int rounded = Math.max(LENGTH_STEP, (tokens + LENGTH_STEP - 1) / LENGTH_STEP * LENGTH_STEP);
    // never past max_length, and never shorter than the caption (truncation already applied)
    return Math.max(tokens, Math.min(rounded, spec.maxLength()));
  }

  private List<Encoded> run(List<Encoding> encodings, int length) throws TranslateException {
    int batch = encodings.size();
    int passRows = passRows(batch);
    long pad = spec.padId() == null ? 0 : spec.padId();
    long[][] ids = new long[passRows][length];
    long[][] mask = new long[passRows][length];
    long[][] types = new long[passRows][length];
    for (int r = 0; r < passRows; r++) {
      // a lone caption's second row is a copy of it, dropped below
      int i = Math.min(r, batch - 1);
      long[] id = encodings.get(i).getIds();
      java.util.Arrays.fill(ids[r], pad);
      System.arraycopy(id, 0, ids[r], 0, id.length);
      System.arraycopy(encodings.get(i).getAttentionMask(), 0, mask[r], 0, id.length);
      System.arraycopy(encodings.get(i).getTypeIds(), 0, types[r], 0, id.length);
    }
    try (NDManager manager = model.getNDManager().newSubManager()) {
      NDList inputs = new NDList();
      for (Map.Entry<String, String> input : spec.inputs().entrySet()) {
        long[][] values =
            switch (input.getKey()) {
              case "input_ids" -> ids;
              case "attention_mask" -> mask;
              case "token_type_ids" -> types;
              default ->
                  throw new IllegalArgumentException("unknown text input role " + input.getKey());
            };
        NDArray array = manager.create(values);
        array.setName(input.getValue());
        inputs.add(array);
      }
      NDList outputs = predictor.predict(inputs);
      NDArray tokens = ImageEncoder.output(outputs, spec.tokensOutput(), "text");
      float[] flat = tokens.toFloatArray();
      int dim = (int) tokens.getShape().get(2);
      float[] pooledFlat =
          spec.pooledOutput() == null
              ? null
              : ImageEncoder.output(outputs, spec.pooledOutput(), "text").toFloatArray();
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

  /**
   * The rows of a pass of {@code batch} inputs: never one. ONNX Runtime's CPU kernels take another
   * path for a single row (a matrix-vector product) and round its results differently in the last
   * place, so a caption or image run alone would get other floats than the same one run with
   * others; from two rows on, a row's result does not depend on the rows beside it. A lone input is
   * run beside a copy of itself.
   */
  static int passRows(int batch) {
    return Math.max(2, batch);
  }

  /** Closes this thread's predictor; the shared model stays loaded. */
  @Override
  public void close() {
    predictor.close();
  }
}
