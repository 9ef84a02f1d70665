package dev.corpusforge.pipelines.run;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corpusforge.core.output.StatsLines;
import dev.corpusforge.scorers.BundleFiles;
import dev.corpusforge.scorers.MiniLmBundle;
import dev.corpusforge.scorers.ModelBundle;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * What the manifest says about each model bundle: where it was, its name, and the SHA-256 of every
 * file, so a run can be tied to exact weights.
 */
final class ModelBundleRecords {
  private ModelBundleRecords() {}

  static ArrayNode describe(List<String> locations) {
    ArrayNode out = StatsLines.JSON.createArrayNode();
    for (String location : locations) {
      ObjectNode b = out.addObject();
      b.put("location", location);
      try {
        String bundle = MiniLmBundle.resolve(location); // a built-in name, or the location
        Path dir = BundleFiles.localFolder(bundle);
        // any bundle kind (dual encoder, detector + segmenter): its name and every file's hash
        com.fasterxml.jackson.databind.JsonNode spec =
            StatsLines.JSON.readTree(dir.resolve(ModelBundle.SPEC_FILE).toFile());
        b.put("name", spec.path("name").asText(""));
        if (spec.has("embedding_dim")) {
          b.put("embedding_dim", spec.path("embedding_dim").asInt());
        }
        ObjectNode files = b.putObject("sha256");
        BundleFiles.fileDigests(bundle).forEach(files::put);
      } catch (IOException e) {
        b.put("error", e.getMessage());
      }
    }
    return out;
  }
}
