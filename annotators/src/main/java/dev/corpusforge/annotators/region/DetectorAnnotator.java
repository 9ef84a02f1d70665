package dev.corpusforge.annotators.region;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.corpusforge.scorers.ImagePreprocess;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.Serializable;

/**
 * The {@code detector} annotator, Grounded-SAM's recipe on ONNX bundles ({@link DetectorBundle}):
 * the open-vocabulary detector scores its queries' boxes against the prompt and the best box, if
 * its sigmoid score reaches {@code minBoxScore}, prompts the segmenter, whose mask logits above 0
 * are the mask. Score: the box's sigmoid score. One per thread (its own predictors).
 */
public final class DetectorAnnotator implements RegionAnnotator, AutoCloseable {
  public static final String NAME = "detector";

  /**
   * @param minBoxScore the lowest sigmoid score of a box worth segmenting
   */
  public record Settings(double minBoxScore) implements Serializable {
    public static Settings defaults() {
      return new Settings(0.1);
    }
  }

  private final DetectorBundle bundle;
  private final Settings settings;
  private final Predictor<NDList, NDList> detector;
  private final Predictor<NDList, NDList> encoder;
  private final Predictor<NDList, NDList> decoder;

  public DetectorAnnotator(DetectorBundle bundle, Settings settings) {
    this.bundle = bundle;
    this.settings = settings;
    this.detector = bundle.detector.newPredictor();
    this.encoder = bundle.encoder.newPredictor();
    this.decoder = bundle.decoder.newPredictor();
  }

  @Override
  public String name() {
    return NAME;
  }

  /** A box in original pixels, corners, with its score. */
  record Box(double x0, double y0, double x1, double y1, double score) {}

  @Override
  public Annotation annotate(BufferedImage rgb, String prompt) throws Exception {
    Box box = detect(rgb, prompt);
    if (box == null || box.score() < settings.minBoxScore()) {
      return Annotation.none(NAME);
    }
    BinaryMask mask = segment(rgb, box);
    return mask.isEmpty() ? Annotation.none(NAME) : new Annotation(NAME, mask, box.score());
  }

  /** The best-scoring query's box; null when the model gives no query. */
  Box detect(BufferedImage rgb, String prompt) throws Exception {
    DetectorBundle.DetectorSpec d = bundle.spec().detector();
    int w = rgb.getWidth();
    int h = rgb.getHeight();
    // OWL-ViT's processor stretches the image to the input square; boxes come back relative to it
    float[] pixels =
        ImagePreprocess.channelsFirst(
            draw(rgb, d.size(), d.size(), d.size(), d.size()), d.mean(), d.std());
    Encoding text = bundle.tokenizer.encode(prompt);
    try (NDManager m = bundle.detector.getNDManager().newSubManager()) {
      NDList inputs = new NDList();
      for (var input : d.inputs().entrySet()) {
        NDArray a =
            switch (input.getKey()) {
              case "pixel_values" -> m.create(pixels, new Shape(1, 3, d.size(), d.size()));
              case "input_ids" -> m.create(new long[][] {text.getIds()});
              case "attention_mask" -> m.create(new long[][] {text.getAttentionMask()});
              default ->
                  throw new IllegalArgumentException(
                      "unknown detector input role " + input.getKey());
            };
        a.setName(input.getValue());
        inputs.add(a);
      }
      NDList out = detector.predict(inputs);
      float[] logits = named(out, d.logitsOutput()).toFloatArray();
      float[] boxes = named(out, d.boxesOutput()).toFloatArray();
      if (logits.length == 0 || boxes.length < 4 * logits.length) {
        return null;
      }
      int best = 0;
      for (int q = 1; q < logits.length; q++) {
        if (logits[q] > logits[best]) {
          best = q;
        }
      }
      double cx = boxes[4 * best] * w;
      double cy = boxes[4 * best + 1] * h;
      double bw = boxes[4 * best + 2] * w;
      double bh = boxes[4 * best + 3] * h;
      return new Box(
          clamp(cx - bw / 2, w),
          clamp(cy - bh / 2, h),
          clamp(cx + bw / 2, w),
          clamp(cy + bh / 2, h),
          1 / (1 + Math.exp(-logits[best])));
    }
  }

  /** The segmenter's mask for a box prompt, at the image's size. */
  BinaryMask segment(BufferedImage rgb, Box box) throws Exception {
    DetectorBundle.SegmenterSpec s = bundle.spec().segmenter();
    int w = rgb.getWidth();
    int h = rgb.getHeight();
    double scale = (double) s.size() / Math.max(w, h);
    int rw = Math.max(1, (int) Math.round(w * scale));
    int rh = Math.max(1, (int) Math.round(h * scale));
    float[] pixels =
        ImagePreprocess.channelsFirst(draw(rgb, rw, rh, s.size(), s.size()), s.mean(), s.std());
    try (NDManager m = bundle.encoder.getNDManager().newSubManager()) {
      NDArray image = m.create(pixels, new Shape(1, 3, s.size(), s.size()));
      image.setName(s.encoderInput());
      NDArray embeddings = named(encoder.predict(new NDList(image)), s.embeddingsOutput());
      NDArray emb = m.create(embeddings.toFloatArray(), embeddings.getShape());
      emb.setName("image_embeddings");
      NDArray coords =
          m.create(
              new float[] {
                (float) (box.x0() * scale),
                (float) (box.y0() * scale),
                (float) (box.x1() * scale),
                (float) (box.y1() * scale)
              },
              new Shape(1, 2, 2));
      coords.setName("point_coords");
      NDArray labels = m.create(new float[] {2, 3}, new Shape(1, 2));
      labels.setName("point_labels");
      NDArray maskInput = m.zeros(new Shape(1, 1, 256, 256));
      maskInput.setName("mask_input");
      NDArray hasMask = m.create(new float[] {0}, new Shape(1));
      hasMask.setName("has_mask_input");
      NDArray size = m.create(new float[] {h, w}, new Shape(2));
      size.setName("orig_im_size");
      NDList out = decoder.predict(new NDList(emb, coords, labels, maskInput, hasMask, size));
      NDArray masks = named(out, s.masksOutput());
      Shape shape = masks.getShape();
      int mh = (int) shape.get(shape.dimension() - 2);
      int mw = (int) shape.get(shape.dimension() - 1);
      float[] logits = masks.toFloatArray();
      BinaryMask mask = new BinaryMask(mw, mh);
      for (int i = 0; i < mw * mh; i++) {
        if (logits[i] > 0) {
          mask.set(i, true);
        }
      }
      return MaskImages.resize(mask, w, h);
    }
  }

  private static NDArray named(NDList outputs, String name) {
    NDArray a = outputs.get(name);
    if (a == null) {
      throw new IllegalStateException(
          "the model has no output '"
              + name
              + "'; it returned "
              + outputs.stream().map(NDArray::getName).toList());
    }
    return a;
  }

  private static double clamp(double v, int max) {
    return Math.max(0, Math.min(max, v));
  }

  /** {@code rgb} scaled to {@code w × h} at the top left of a black {@code canvasW × canvasH}. */
  static BufferedImage draw(BufferedImage rgb, int w, int h, int canvasW, int canvasH) {
    BufferedImage out = new BufferedImage(canvasW, canvasH, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setColor(Color.BLACK);
      g.fillRect(0, 0, canvasW, canvasH);
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(rgb, 0, 0, w, h, null);
    } finally {
      g.dispose();
    }
    return out;
  }

  @Override
  public void close() {
    detector.close();
    encoder.close();
    decoder.close();
  }
}
