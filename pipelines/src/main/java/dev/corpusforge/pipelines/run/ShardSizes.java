package dev.corpusforge.pipelines.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corpusforge.core.output.StatsLines;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
    Map<String, ObjectNode> byFolder = new TreeMap<>();
    for (JsonNode shard : stats.exports.getOrDefault("webdataset", List.of())) {
      String file = shard.path("file").asText();
      int slash = file.lastIndexOf('/');
      byFolder
          .computeIfAbsent(file.substring(0, slash), f -> StatsLines.JSON.createObjectNode())
          .put(file.substring(slash + 1), shard.path("samples").asLong());
    }
    for (Map.Entry<String, ObjectNode> folder : byFolder.entrySet()) {
      OutputFiles.writeString(
          folder.getKey() + "/" + FILE,
          StatsLines.JSON.writeValueAsString(folder.getValue()) + "\n",
          "application/json");
    }
  }
}
