import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corpusforge.annotators.region.BinaryMask;
import dev.corpusforge.annotators.region.CocoRle;
import dev.corpusforge.annotators.region.MaskImages;
import dev.corpusforge.annotators.som.MarkLayout;
import dev.corpusforge.annotators.som.MarkRenderer;
import dev.corpusforge.annotators.som.MarkStyle;
import dev.corpusforge.filters.image.ImageCodec;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * som's per-image work on one thread, step by step, as its tagging stages do it: decode, shorter side to
 * 640 (bicubic), decode and scale the compressed-RLE masks, number them, draw, encode the JPEG,
 * encode each mark's RLE. The first 20 images warm the JIT and are not counted.
 *
 * <p>Usage: java -cp CLASSPATH SomBench.java SCENES_DIR IMAGES
 */
public class SomBench {
  public static void main(String[] args) throws Exception {
    Path scenes = Path.of(args[0]);
    int count = Integer.parseInt(args[1]);
    JsonNode gt = new ObjectMapper().readTree(new File(scenes.resolve("ground_truth.json").toString()));
    Map<Integer, List<JsonNode>> annotations = new HashMap<>();
    gt.path("annotations").forEach(a -> annotations.computeIfAbsent(a.path("image_id").asInt(), k -> new ArrayList<>()).add(a.path("segmentation")));
    String[] steps = {"decode", "resize to 640", "masks (RLE decode + scale)", "numbering (layout)", "drawing", "JPEG encode", "marks' RLE"};
    long[] nanos = new long[steps.length];
    int n = 0;
    int measured = 0;
    for (JsonNode image : gt.path("images")) {
      if (n++ >= count + 20) {
        break;
      }
      long[] t = new long[steps.length + 1];
      t[0] = System.nanoTime();
      BufferedImage rgb = ImageCodec.decodeRgb(Files.readAllBytes(scenes.resolve(image.path("file_name").asText())));
      t[1] = System.nanoTime();
      double scale = 640.0 / Math.min(rgb.getWidth(), rgb.getHeight());
      int w = (int) Math.round(rgb.getWidth() * scale);
      int h = (int) Math.round(rgb.getHeight() * scale);
      BufferedImage base = MaskImages.resize(rgb, w, h);
      t[2] = System.nanoTime();
      List<BinaryMask> masks = new ArrayList<>();
      for (JsonNode seg : annotations.getOrDefault(image.path("id").asInt(), List.of())) {
        masks.add(MaskImages.resize(CocoRle.decode(new CocoRle.Rle(seg.path("size").get(0).asInt(), seg.path("size").get(1).asInt(), seg.path("counts").asText())), w, h));
      }
      t[3] = System.nanoTime();
      List<MarkLayout.Mark> marks = MarkLayout.layout(masks, MarkLayout.DEFAULT_MIN_PIXELS);
      t[4] = System.nanoTime();
      BufferedImage tagged = MarkRenderer.render(base, marks, MarkStyle.numbers());
      t[5] = System.nanoTime();
      ImageCodec.encode(tagged, "jpeg", 0.9f);
      t[6] = System.nanoTime();
      for (MarkLayout.Mark m : marks) {
        CocoRle.encode(m.mask());
      }
      t[7] = System.nanoTime();
      if (n > 20) {
        measured++;
        for (int i = 0; i < steps.length; i++) {
          nanos[i] += t[i + 1] - t[i];
        }
      }
    }
    long total = 0;
    for (int i = 0; i < steps.length; i++) {
      total += nanos[i];
      System.out.printf("%-28s %6.1f ms%n", steps[i], nanos[i] / 1e6 / measured);
    }
    System.out.printf("%-28s %6.1f ms → %.1f images/s on one thread (%d images)%n", "all", total / 1e6 / measured, measured / (total / 1e9), measured);
  }
}
