package dev.corpusforge.pipelines.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corpusforge.core.output.StatsLines;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code manifest.jsonl} of each {@code D_<k>} folder of a decompose run's released layout: one
 * line {@code {"shard": "shard-0000000", "num_sequences": n, "partial": false}} per shard, in shard
 * order, as the Dataset-Decomposition loader reads it. Written from the shards' own {@code export}
 * stats lines (format {@code dd}), so the job needs no step that gathers a bucket's shards.
 */
final class DdManifests {
  static final String FILE = "manifest.jsonl";

  private DdManifests() {}

  /** Writes one {@code manifest.jsonl} per folder of D_k shards. */
  static void write(RunStats stats) throws IOException {
    Map<String, StringBuilder> byFolder = new TreeMap<>();
    // the export lines are sorted by file name, and shard names are numbered with fixed width
    for (JsonNode shard : stats.exports.getOrDefault("dd", List.of())) {
      String file = shard.path("file").asText();
      int slash = file.lastIndexOf('/');
      String name = file.substring(slash + 1);
      byFolder
          .computeIfAbsent(file.substring(0, slash), f -> new StringBuilder())
          .append(
              StatsLines.JSON
                  .createObjectNode()
                  .put("shard", name.endsWith(".tar") ? name.substring(0, name.length() - 4) : name)
                  .put("num_sequences", shard.path("samples").asLong())
                  .put("partial", shard.path("partial").asBoolean())
                  .toString())
          .append('\n');
    }
    for (Map.Entry<String, StringBuilder> folder : byFolder.entrySet()) {
      OutputFiles.writeString(
          folder.getKey() + "/" + FILE, folder.getValue().toString(), "application/json");
    }
  }
}
