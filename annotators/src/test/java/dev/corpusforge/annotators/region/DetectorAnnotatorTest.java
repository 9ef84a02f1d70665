package dev.corpusforge.annotators.region;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corpusforge.scorers.DeviceChoice;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The detector annotator's plumbing on small ONNX graphs written by {@link TinyOnnx}: a "detector"
 * with three fixed queries, a SAM-shaped encoder, and a decoder that paints the box it is prompted
 * with, so the mask shows every coordinate conversion on the way (normalised centre boxes → image
 * pixels → the segmenter's resized frame → mask logits at the original size).
 */
class DetectorAnnotatorTest {
  static final int W = 64;
  static final int H = 48;
  static final int DETECTOR_SIZE = 32;
  static final int SEGMENTER_SIZE = 80;

  @TempDir Path dir;

  private Path bundle(float... logits) throws Exception {
    Files.copy(
        Path.of("..", "samples", "models", "clipart-dual-encoder", "tokenizer.json"),
        dir.resolve("tokenizer.json"));
    new TinyOnnx()
        .input("pixel_values", TinyOnnx.FLOAT, 1, 3, DETECTOR_SIZE, DETECTOR_SIZE)
        .input("input_ids", TinyOnnx.INT64, 1, -1)
        .input("attention_mask", TinyOnnx.INT64, 1, -1)
        .floats("L", new long[] {1, 3, 1}, logits)
        .floats(
            "B",
            new long[] {1, 3, 4},
            0.25f,
            0.25f,
            0.2f,
            0.2f,
            0.6f,
            0.5f,
            0.3f,
            0.4f,
            0.5f,
            0.5f,
            0.9f,
            0.9f)
        .node("Identity", List.of("L"), List.of("logits"))
        .node("Identity", List.of("B"), List.of("pred_boxes"))
        .output("logits", TinyOnnx.FLOAT, 1, 3, 1)
        .output("pred_boxes", TinyOnnx.FLOAT, 1, 3, 4)
        .write(dir.resolve("detector.onnx"));
    new TinyOnnx()
        .input("image", TinyOnnx.FLOAT, 1, 3, SEGMENTER_SIZE, SEGMENTER_SIZE)
        .node(
            "ReduceMean", List.of("image"), List.of("image_embeddings"), "axes=[2,3]", "keepdims=1")
        .output("image_embeddings", TinyOnnx.FLOAT, 1, 3, 1, 1)
        .write(dir.resolve("encoder.onnx"));
    // pixel centres in the segmenter's frame, where the box corners arrive
    double scale = (double) SEGMENTER_SIZE / Math.max(W, H);
    float[] xs = new float[W * H];
    float[] ys = new float[W * H];
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        xs[y * W + x] = (float) ((x + 0.5) * scale);
        ys[y * W + x] = (float) ((y + 0.5) * scale);
      }
    }
    TinyOnnx decoder =
        new TinyOnnx()
            .input("image_embeddings", TinyOnnx.FLOAT, 1, 3, 1, 1)
            .input("point_coords", TinyOnnx.FLOAT, 1, 2, 2)
            .input("point_labels", TinyOnnx.FLOAT, 1, 2)
            .input("mask_input", TinyOnnx.FLOAT, 1, 1, 256, 256)
            .input("has_mask_input", TinyOnnx.FLOAT, 1)
            .input("orig_im_size", TinyOnnx.FLOAT, 2)
            .floats("XS", new long[] {1, 1, H, W}, xs)
            .floats("YS", new long[] {1, 1, H, W}, ys)
            .floats("HALF", new long[0], 0.5f)
            .floats("IOU", new long[] {1, 1}, 0.9f)
            .longs("FOUR", new long[] {1}, 4)
            .node("Reshape", List.of("point_coords", "FOUR"), List.of("flat"));
    String[] corner = {"x0", "y0", "x1", "y1"};
    for (int i = 0; i < 4; i++) {
      decoder
          .longs("I" + i, new long[0], i)
          .node("Gather", List.of("flat", "I" + i), List.of(corner[i]));
    }
    decoder
        .node("GreaterOrEqual", List.of("XS", "x0"), List.of("g1"))
        .node("LessOrEqual", List.of("XS", "x1"), List.of("l1"))
        .node("GreaterOrEqual", List.of("YS", "y0"), List.of("g2"))
        .node("LessOrEqual", List.of("YS", "y1"), List.of("l2"))
        .node("And", List.of("g1", "l1"), List.of("a1"))
        .node("And", List.of("g2", "l2"), List.of("a2"))
        .node("And", List.of("a1", "a2"), List.of("inside"))
        .node("Cast", List.of("inside"), List.of("f"), "to=1")
        .node("Sub", List.of("f", "HALF"), List.of("masks"))
        .node("Identity", List.of("IOU"), List.of("iou_predictions"))
        .output("masks", TinyOnnx.FLOAT, 1, 1, H, W)
        .output("iou_predictions", TinyOnnx.FLOAT, 1, 1)
        .write(dir.resolve("decoder.onnx"));
    Files.writeString(
        dir.resolve("bundle.json"),
        """
        {"name": "tiny",
         "detector": {"onnx": "detector.onnx", "tokenizer": "tokenizer.json", "max_length": 16, "size": %d,
                      "mean": [0.5, 0.5, 0.5], "std": [0.25, 0.25, 0.25],
                      "inputs": {"pixel_values": "pixel_values", "input_ids": "input_ids", "attention_mask": "attention_mask"},
                      "logits_output": "logits", "boxes_output": "pred_boxes"},
         "segmenter": {"encoder_onnx": "encoder.onnx", "encoder_input": "image", "size": %d,
                       "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225], "embeddings_output": "image_embeddings",
                       "decoder_onnx": "decoder.onnx", "masks_output": "masks", "iou_output": "iou_predictions"}}
        """
            .formatted(DETECTOR_SIZE, SEGMENTER_SIZE));
    return dir;
  }

  private static BufferedImage noise() {
    BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
    Random r = new Random(3);
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        img.setRGB(x, y, r.nextInt(1 << 24));
      }
    }
    return img;
  }

  @Test
  void theBestBoxBecomesTheSegmentersMask() throws Exception {
    try (DetectorBundle b =
            DetectorBundle.load(bundle(-2f, 3f, 0.5f), DeviceChoice.parse("cpu").resolve(), 1);
        DetectorAnnotator annotator =
            new DetectorAnnotator(b, DetectorAnnotator.Settings.defaults())) {
      Annotation a = annotator.annotate(noise(), "red bicycle");
      assertTrue(a.found());
      assertEquals(1 / (1 + Math.exp(-3)), a.score(), 1e-6);
      // query 1: centre (0.6, 0.5), size (0.3, 0.4) of 64×48 → x 28.8…48, y 14.4…33.6: pixel
      // centres x 29–47, y
      // 14–33
      BinaryMask expected = new BinaryMask(W, H);
      for (int y = 14; y <= 33; y++) {
        for (int x = 29; x <= 47; x++) {
          expected.set(x, y, true);
        }
      }
      assertEquals(expected, a.mask());
    }
  }

  @Test
  void aWeakBestBoxIsNoRegion() throws Exception {
    try (DetectorBundle b =
            DetectorBundle.load(bundle(-5f, -4f, -3f), DeviceChoice.parse("cpu").resolve(), 1);
        DetectorAnnotator annotator =
            new DetectorAnnotator(b, DetectorAnnotator.Settings.defaults())) {
      assertFalse(
          annotator.annotate(noise(), "anything").found(),
          "the best box scores sigmoid(−3) = 0.047, under 0.1");
    }
  }

  @Test
  void aBundleNamingMissingFilesIsRefused() throws Exception {
    Files.writeString(
        dir.resolve("bundle.json"),
        "{\"name\": \"x\", \"detector\": {\"onnx\": \"nope.onnx\", \"tokenizer\": \"t.json\", \"max_length\": 8, \"size\": 8,"
            + " \"mean\": [0,0,0], \"std\": [1,1,1], \"inputs\": {}, \"logits_output\": \"l\", \"boxes_output\": \"b\"},"
            + " \"segmenter\": {\"encoder_onnx\": \"e.onnx\", \"encoder_input\": \"i\", \"size\": 8, \"mean\": [0,0,0], \"std\": [1,1,1],"
            + " \"embeddings_output\": \"e\", \"decoder_onnx\": \"d.onnx\", \"masks_output\": \"m\", \"iou_output\": \"u\"}}");
    Exception e =
        assertThrows(
            java.io.IOException.class,
            () -> DetectorBundle.load(dir, DeviceChoice.parse("cpu").resolve(), 1));
    assertTrue(e.getMessage().contains("nope.onnx"), e.getMessage());
  }
}
