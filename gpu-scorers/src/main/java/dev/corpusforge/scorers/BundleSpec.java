package dev.corpusforge.scorers;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * The content of a model bundle's {@code bundle.json} (snake_case keys; see the module README for
 * an example). A bundle holds a text encoder, an image encoder, or both (a dual encoder).
 *
 * @param name a name for manifests and messages
 * @param embeddingDim dimension of every embedding the bundle outputs
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record BundleSpec(String name, int embeddingDim, Text text, Image image)
    implements Serializable {

  /**
   * The text encoder.
   *
   * @param onnx ONNX file, relative to the bundle folder
   * @param tokenizer Hugging Face {@code tokenizer.json}, relative to the bundle folder
   * @param maxLength tokens per caption, padding and truncation included
   * @param inputs model input names by role: {@code input_ids}, {@code attention_mask}, and
   *     optionally {@code token_type_ids}
   * @param tokensOutput output with per-token embeddings [batch, tokens, dim]
   * @param pooledOutput output with the pooled embedding [batch, dim]; null to pool by {@code
   *     pooling}
   * @param pooling {@code mean} (over real tokens) when there is no pooled output
   * @param padId token id written into padding positions (masked out); 0 when absent
   * @param padToMaxLength pad every caption to {@code maxLength} (models that pool a fixed
   *     position, such as SigLIP's last token); otherwise to the caption's length rounded up to a
   *     multiple of 8
   */
  public record Text(
      String onnx,
      String tokenizer,
      int maxLength,
      Map<String, String> inputs,
      String tokensOutput,
      String pooledOutput,
      String pooling,
      Integer padId,
      boolean padToMaxLength)
      implements Serializable {}

  /**
   * The image encoder.
   *
   * @param onnx ONNX file, relative to the bundle folder
   * @param input the pixel input [batch, 3, size, size]
   * @param size square input size in pixels
   * @param mean per-channel mean (RGB, on 0..1 values)
   * @param std per-channel standard deviation
   * @param tokensOutput output with per-patch embeddings [batch, tokens, dim]
   * @param pooledOutput output with the pooled embedding [batch, dim]
   * @param hasCls whether the first image token is a [CLS] token (dropped by FILIP scoring)
   */
  public record Image(
      String onnx,
      String input,
      int size,
      List<Double> mean,
      List<Double> std,
      String tokensOutput,
      String pooledOutput,
      boolean hasCls)
      implements Serializable {}
}
