import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corpusforge.annotators.region.DualEncoderRegionScorer;
import dev.corpusforge.annotators.region.ProposalAnnotator;
import dev.corpusforge.annotators.region.RegionAnnotator;
import dev.corpusforge.annotators.region.RegionScorer;
import dev.corpusforge.annotators.region.SimilarityAnnotator;
import dev.corpusforge.scorers.DeviceChoice;
import dev.corpusforge.scorers.LoadedBundle;
import dev.corpusforge.scorers.ModelBundle;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Images per second per core of each region annotator, alone on one thread (one ONNX Runtime
 * thread), on region-entity scene rows: the first ROWS rows of SCENES/rows.jsonl, decoded up front,
 * prompt "{type} {name}", a warm-up pass over ten rows first.
 *
 * <p>Usage: java -cp CLASSPATH bench/RegionBench.java SCENES BUNDLE ROWS
 */
public class RegionBench {
  public static void main(String[] args) throws Exception {
    Path scenes = Path.of(args[0]);
    Path bundle = Path.of(args[1]);
    int rows = Integer.parseInt(args[2]);
    ObjectMapper json = new ObjectMapper();
    List<BufferedImage> images = new ArrayList<>();
    List<String> prompts = new ArrayList<>();
    for (String line : Files.readAllLines(scenes.resolve("rows.jsonl"))) {
      if (images.size() == rows) {
        break;
      }
      JsonNode r = json.readTree(line);
      images.add(ImageIO.read(scenes.resolve(r.get("image").asText()).toFile()));
      prompts.add(r.path("entity_type").asText("") + " " + r.get("entity_name").asText());
    }
    try (LoadedBundle loaded = LoadedBundle.open(ModelBundle.load(bundle), DeviceChoice.parse("cpu").resolve(), 1)) {
      RegionScorer scorer = new DualEncoderRegionScorer(loaded);
      for (RegionAnnotator a : List.of(new SimilarityAnnotator(scorer, SimilarityAnnotator.Settings.defaults()),
          new ProposalAnnotator(scorer, ProposalAnnotator.Settings.defaults()))) {
        for (int i = 0; i < Math.min(10, images.size()); i++) {
          a.annotate(images.get(i), prompts.get(i));
        }
        long start = System.nanoTime();
        for (int i = 0; i < images.size(); i++) {
          a.annotate(images.get(i), prompts.get(i));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "%-10s %d images of %dx%d in %.1f s: %.2f images/s on one core (%.0f ms each)%n", a.name(), images.size(),
            images.get(0).getWidth(), images.get(0).getHeight(), seconds, images.size() / seconds, seconds * 1000 / images.size());
      }
      scorer.close();
    }
  }
}
