import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corpusforge.scorers.LoadedBundle;
import dev.corpusforge.scorers.ModelBundle;
import dev.corpusforge.scorers.PairScorer;
import dev.corpusforge.scorers.PairScores;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Held-out check of a dual-encoder bundle through the project's own scoring path (DJL + ONNX
 * Runtime, {@link PairScorer}): for each held-out image, its own caption against another held-out
 * image's caption (the one half the list away), and the AUC of matched over shuffled scores for
 * the CLIP and the FILIP score. Prints one JSON object.
 *
 * <p>Usage: java -cp CLASSPATH EvalClipartEncoder.java BUNDLE EXPORT_DIR SIZE
 * where EXPORT_DIR is what ExportClipartPairs.java wrote (pixels.u8, pairs.jsonl).
 */
public class EvalClipartEncoder {
  public static void main(String[] args) throws Exception {
    Path bundleDir = Path.of(args[0]);
    Path data = Path.of(args[1]);
    int size = Integer.parseInt(args[2]);
    ObjectMapper json = new ObjectMapper();
    List<BufferedImage> images = new ArrayList<>();
    List<String> captions = new ArrayList<>();
    try (InputStream pixels = Files.newInputStream(data.resolve("pixels.u8"))) {
      byte[] rgb = new byte[size * size * 3];
      for (String line : Files.readAllLines(data.resolve("pairs.jsonl"))) {
        if (pixels.readNBytes(rgb, 0, rgb.length) != rgb.length) {
          throw new IllegalStateException("pixels.u8 is shorter than pairs.jsonl");
        }
        JsonNode p = json.readTree(line);
        if (!p.get("split").asText().equals("heldout")) {
          continue;
        }
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        for (int y = 0, i = 0; y < size; y++) {
          for (int x = 0; x < size; x++, i += 3) {
            img.setRGB(x, y, ((rgb[i] & 0xff) << 16) | ((rgb[i + 1] & 0xff) << 8) | (rgb[i + 2] & 0xff));
          }
        }
        images.add(img);
        String title = p.get("title").asText();
        String desc = p.get("description").asText();
        captions.add(desc.isEmpty() || desc.equalsIgnoreCase(title) ? title : title + ". " + desc);
      }
    }
    int n = images.size();
    List<PairScorer.Pair> matched = new ArrayList<>();
    List<PairScorer.Pair> shuffled = new ArrayList<>();
    try (LoadedBundle bundle = LoadedBundle.open(ModelBundle.load(bundleDir), Device.cpu(), 0); PairScorer scorer = PairScorer.open(bundle)) {
      for (int i = 0; i < n; i++) {
        float[] pixels = scorer.preprocess(images.get(i));
        matched.add(new PairScorer.Pair(pixels, captions.get(i)));
        shuffled.add(new PairScorer.Pair(pixels, captions.get((i + n / 2) % n)));
      }
      List<PairScores> m = score(scorer, matched);
      List<PairScores> s = score(scorer, shuffled);
      System.out.printf(Locale.ROOT, "{\"heldout_pairs\": %d, \"negatives\": \"the caption of the held-out image n/2 places away\", \"clip_auc\": %.4f, \"filip_auc\": %.4f,"
              + " \"mean_clip_matched\": %.4f, \"mean_clip_shuffled\": %.4f, \"mean_filip_matched\": %.4f, \"mean_filip_shuffled\": %.4f}%n",
          n, auc(m, s, false), auc(m, s, true), mean(m, false), mean(s, false), mean(m, true), mean(s, true));
    }
  }

  static List<PairScores> score(PairScorer scorer, List<PairScorer.Pair> pairs) throws Exception {
    List<PairScores> out = new ArrayList<>();
    for (int i = 0; i < pairs.size(); i += 64) {
      out.addAll(scorer.score(pairs.subList(i, Math.min(pairs.size(), i + 64)), 1.0));
    }
    return out;
  }

  static double value(PairScores s, boolean filip) {
    return filip ? s.filip() : s.clip();
  }

  static double mean(List<PairScores> scores, boolean filip) {
    return scores.stream().mapToDouble(s -> value(s, filip)).average().orElse(Double.NaN);
  }

  /** P(matched score > shuffled score) over all pairs of the two lists, ties counting half. */
  static double auc(List<PairScores> pos, List<PairScores> neg, boolean filip) {
    double wins = 0;
    for (PairScores p : pos) {
      for (PairScores q : neg) {
        double a = value(p, filip);
        double b = value(q, filip);
        wins += a > b ? 1 : a == b ? 0.5 : 0;
      }
    }
    return wins / ((double) pos.size() * neg.size());
  }
}
