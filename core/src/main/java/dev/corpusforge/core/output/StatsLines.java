package dev.corpusforge.core.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The run statistics a pipeline writes next to its outputs ({@code OUT/_run/stats.jsonl}), one JSON
 * object per line with a {@code kind}: {@code count}, {@code reject_count}, {@code histogram},
 * {@code preview}, {@code export}, {@code accounting}, {@code manifest}. The driver turns them into
 * the manifest and the report, then removes the file.
 */
public final class StatsLines {
  public static final ObjectMapper JSON = new ObjectMapper();

  private StatsLines() {}

  public static ObjectNode line(String kind) {
    return JSON.createObjectNode().put("kind", kind);
  }

  /**
   * A value the driver puts into the manifest under {@code key} (pipeline-specific sections such as
   * token counts).
   */
  public static String manifest(String key, JsonNode value) {
    ObjectNode line = line("manifest").put("key", key);
    line.set("value", value);
    return line.toString();
  }

  public static String count(String name, long value) {
    return line("count").put("name", name).put("value", value).toString();
  }
}
