package dev.corpusforge.pipelines.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corpusforge.core.output.StatsLines;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * {@code sizes.json} next to a run's WebDataset shards: {@code {"shard-00000.tar": n, …}}, the
 * samples in each shard by file name, which OpenCLIP reads to know a dataset's size without {@code
 * --train-num-samples}. Written from the shards' own {@code export} stats lines.
 */
final class ShardSizes {
  static final String FILE = "sizes.json";

  private ShardSizes() {}

  /** Writes one {@code sizes.json} per folder of WebDataset shards. */
  static void write(RunStats stats) throws IOException {
    for (Map.Entry<String, List<JsonNode>> folder :
        stats.exportsByFolder("webdataset").entrySet()) {
      ObjectNode sizes = StatsLines.JSON.createObjectNode();
      for (JsonNode shard : folder.getValue()) {
        sizes.put(RunStats.fileName(shard), shard.path("samples").asLong());
      }
      OutputFiles.writeString(
          folder.getKey() + "/" + FILE,
          StatsLines.JSON.writeValueAsString(sizes) + "\n",
          "application/json");
    }
  }
}
