package dev.corpusforge.annotators.region;

import ai.djl.Device;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDList;
import ai.djl.repository.zoo.ZooModel;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.corpusforge.scorers.BundleFiles;
import dev.corpusforge.scorers.DeviceChoice;
import dev.corpusforge.scorers.LoadedBundle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * An open-vocabulary detector and a promptable segmenter as ONNX models, described by a {@code
 * bundle.json} (pipelines/README.md, "Detector bundles"): the detector (OWL-ViT-style: image + text
 * query → per-query logits and boxes) finds the prompt's box, the segmenter (SAM-style: image
 * encoder, then a prompt decoder taking the box as two corner points) turns it into a mask. Loaded
 * once; each {@link DetectorAnnotator} makes its own predictors.
 */
public final class DetectorBundle implements AutoCloseable {
  static final ObjectMapper JSON =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

  /**
   * @param inputs model input names by role: {@code pixel_values}, {@code input_ids}, {@code
   *     attention_mask}
   * @param logitsOutput per-query logits [1, queries, 1] (or [1, queries])
   * @param boxesOutput per-query boxes [1, queries, 4], normalised centre x, centre y, width,
   *     height of the resized input
   */
  public record DetectorSpec(
      String onnx,
      String tokenizer,
      int maxLength,
      int size,
      List<Double> mean,
      List<Double> std,
      Map<String, String> inputs,
      String logitsOutput,
      String boxesOutput) {}

  /**
   * SAM's ONNX layout: the encoder takes the image resized so its longer side is {@code size},
   * padded to a square, normalised; the decoder takes {@code image_embeddings}, {@code
   * point_coords} [1, n, 2] in that resized frame, {@code point_labels} [1, n] (2 and 3: box
   * corners), {@code mask_input} [1, 1, 256, 256], {@code has_mask_input} [1] and {@code
   * orig_im_size} [2], and gives mask logits at the original size and their predicted IoU.
   */
  public record SegmenterSpec(
      String encoderOnnx,
      String encoderInput,
      int size,
      List<Double> mean,
      List<Double> std,
      String embeddingsOutput,
      String decoderOnnx,
      String masksOutput,
      String iouOutput) {}

  public record Spec(String name, DetectorSpec detector, SegmenterSpec segmenter) {}

  private final Spec spec;
  final HuggingFaceTokenizer tokenizer;
  final ZooModel<NDList, NDList> detector;
  final ZooModel<NDList, NDList> encoder;
  final ZooModel<NDList, NDList> decoder;

  private DetectorBundle(
      Spec spec,
      HuggingFaceTokenizer tokenizer,
      ZooModel<NDList, NDList> detector,
      ZooModel<NDList, NDList> encoder,
      ZooModel<NDList, NDList> decoder) {
    this.spec = spec;
    this.tokenizer = tokenizer;
    this.detector = detector;
    this.encoder = encoder;
    this.decoder = decoder;
  }

  private static final Map<String, DetectorBundle> SHARED =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * The bundle at {@code location} (a folder or an s3:// prefix), loaded once per JVM and again
   * when its files change in place.
   */
  public static DetectorBundle shared(String location, DeviceChoice device, int threads)
      throws IOException {
    String key =
        location
            + "|"
            + dev.corpusforge.core.read.SourceStamp.folder(location)
            + "|"
            + device
            + "|"
            + threads;
    synchronized (SHARED) {
      DetectorBundle b = SHARED.get(key);
      if (b == null) {
        b = load(BundleFiles.localFolder(location), device.resolve(), threads);
        SHARED.put(key, b);
      }
      return b;
    }
  }

  public Spec spec() {
    return spec;
  }

  public static DetectorBundle load(Path dir, Device device, int threads) throws IOException {
    Path json = dir.resolve("bundle.json");
    if (!Files.isRegularFile(json)) {
      throw new IOException("detector bundle " + dir + " has no bundle.json");
    }
    Spec spec = JSON.readValue(json.toFile(), Spec.class);
    if (spec.detector() == null || spec.segmenter() == null) {
      throw new IOException(json + " needs both a 'detector' and a 'segmenter' section");
    }
    for (String file :
        List.of(
            spec.detector().onnx(),
            spec.detector().tokenizer(),
            spec.segmenter().encoderOnnx(),
            spec.segmenter().decoderOnnx())) {
      if (file == null || !Files.isRegularFile(dir.resolve(file))) {
        throw new IOException(
            "detector bundle " + dir + " names '" + file + "', which is not there");
      }
    }
    HuggingFaceTokenizer tokenizer =
        HuggingFaceTokenizer.builder()
            .optTokenizerPath(dir.resolve(spec.detector().tokenizer()))
            .optMaxLength(spec.detector().maxLength())
            .optTruncation(true)
            .optPadding(false)
            .build();
    ZooModel<NDList, NDList> detector = null;
    ZooModel<NDList, NDList> encoder = null;
    try {
      detector = LoadedBundle.loadOnnx(dir.resolve(spec.detector().onnx()), device, threads);
      encoder = LoadedBundle.loadOnnx(dir.resolve(spec.segmenter().encoderOnnx()), device, threads);
      ZooModel<NDList, NDList> decoder =
          LoadedBundle.loadOnnx(dir.resolve(spec.segmenter().decoderOnnx()), device, threads);
      return new DetectorBundle(spec, tokenizer, detector, encoder, decoder);
    } catch (IOException | RuntimeException e) {
      tokenizer.close();
      if (detector != null) {
        detector.close();
      }
      if (encoder != null) {
        encoder.close();
      }
      throw e;
    }
  }

  @Override
  public void close() {
    tokenizer.close();
    detector.close();
    encoder.close();
    decoder.close();
  }
}
