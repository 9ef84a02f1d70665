package dev.corpusforge.pipelines.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corpusforge.core.output.StatsLines;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * {@code manifest.jsonl} of each {@code D_<k>} folder of a decompose run's released layout: one
 * line {@code {"shard": "shard-0000000", "num_sequences": n, "partial": false}} per shard, in shard
 * order, as the Dataset-Decomposition loader reads it. Written from the shards' own {@code export}
 * stats lines (format {@code dd}), so the job needs no step that gathers a bucket's shards.
 */
final class DdManifests {
  static final String FILE = "manifest.jsonl";

  private DdManifests() {}

  /** Writes one {@code manifest.jsonl} per folder of D_k shards, in shard order. */
  static void write(RunStats stats) throws IOException {
    for (Map.Entry<String, List<JsonNode>> folder : stats.exportsByFolder("dd").entrySet()) {
      StringBuilder lines = new StringBuilder();
      for (JsonNode shard : folder.getValue()) {
        String name = RunStats.fileName(shard);
        lines
            .append(
                StatsLines.JSON
                    .createObjectNode()
                    .put("shard", name.substring(0, name.length() - ".tar".length()))
                    .put("num_sequences", shard.path("samples").asLong())
                    .put("partial", shard.path("partial").asBoolean())
                    .toString())
            .append('\n');
      }
      OutputFiles.writeString(folder.getKey() + "/" + FILE, lines.toString(), "application/json");
    }
  }
}
