package dev.corpusforge.pipelines.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corpusforge.core.output.StatsLines;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The stats lines of one run ({@link StatsLines}), parsed and sorted for the manifest and report.
 */
public final class RunStats {
  public long inputs;
  public long kept;
  public long rejected;

  /** stage → reason → count, sorted. */
  public final Map<String, Map<String, Long>> rejectCounts = new TreeMap<>();

  /** violation kind → count. */
  public final Map<String, Long> violations = new TreeMap<>();

  /** violation kind → example ids. */
  public final Map<String, List<String>> violationExamples = new TreeMap<>();

  public final Map<String, JsonNode> histograms = new TreeMap<>();
  public final List<JsonNode> keptPreviews = new ArrayList<>();
  public final List<ObjectNode> rejectPreviews = new ArrayList<>();

  /** export format → files, sorted by name. */
  public final Map<String, List<JsonNode>> exports = new TreeMap<>();

  /** Pipeline-specific manifest sections, by key. */
  public final Map<String, JsonNode> manifestEntries = new TreeMap<>();

  /** Semantic dedup's gallery: a rejected duplicate and its survivor per line, by rejected id. */
  public final List<JsonNode> semanticPairs = new ArrayList<>();

  /**
   * The files of export {@code format} by the folder that holds them, folders and each folder's
   * files in name order: what an index written next to the files ({@code sizes.json}, {@code
   * manifest.jsonl}) lists.
   */
  public Map<String, List<JsonNode>> exportsByFolder(String format) {
    Map<String, List<JsonNode>> byFolder = new TreeMap<>();
    for (JsonNode file : exports.getOrDefault(format, List.of())) {
      String path = file.path("file").asText();
      byFolder
          .computeIfAbsent(path.substring(0, path.lastIndexOf('/')), f -> new ArrayList<>())
          .add(file);
    }
    return byFolder;
  }

  /** The name of an export's file, without its folder. */
  static String fileName(JsonNode export) {
    String path = export.path("file").asText();
    return path.substring(path.lastIndexOf('/') + 1);
  }

  public static RunStats parse(List<String> lines) throws IOException {
    RunStats stats = new RunStats();
    for (String raw : lines) {
      if (raw.isBlank()) {
        continue;
      }
      JsonNode line = StatsLines.JSON.readTree(raw);
      switch (line.path("kind").asText()) {
        case "count" -> {
          long value = line.path("value").asLong();
          switch (line.path("name").asText()) {
            case "inputs" -> stats.inputs = value;
            case "kept" -> stats.kept = value;
            case "rejected" -> stats.rejected = value;
            default -> {}
          }
        }
        case "reject_count" ->
            stats
                .rejectCounts
                .computeIfAbsent(line.path("stage").asText(), k -> new TreeMap<>())
                .put(line.path("reason").asText(), line.path("count").asLong());
        case "accounting" ->
            stats.violations.put(line.path("violation").asText(), line.path("count").asLong());
        case "accounting_examples" -> {
          List<String> ids = new ArrayList<>();
          line.path("ids").forEach(n -> ids.add(n.asText()));
          stats.violationExamples.put(line.path("violation").asText(), ids);
        }
        case "histogram" -> stats.histograms.put(line.path("name").asText(), line);
        case "preview" -> {
          if ("kept".equals(line.path("status").asText())) {
            stats.keptPreviews.add(line);
          } else {
            stats.rejectPreviews.add((ObjectNode) line);
          }
        }
        case "semantic_pair" -> stats.semanticPairs.add(line);
        case "manifest" -> stats.manifestEntries.put(line.path("key").asText(), line.path("value"));
        case "export" ->
            stats
                .exports
                .computeIfAbsent(line.path("format").asText(), k -> new ArrayList<>())
                .add(line);
        default -> {}
      }
    }
    stats.semanticPairs.sort(
        (a, b) -> a.path("sample_id").asText().compareTo(b.path("sample_id").asText()));
    stats.keptPreviews.sort(
        (a, b) -> a.path("sample_id").asText().compareTo(b.path("sample_id").asText()));
    // a pipeline may draw its own preview of a reject that the generic reject previews also name:
    // keep the drawn
    // one
    java.util.Map<String, ObjectNode> bySample = new java.util.LinkedHashMap<>();
    for (ObjectNode p : stats.rejectPreviews) {
      bySample.merge(p.path("sample_id").asText(), p, (a, b) -> a.hasNonNull("thumbnail") ? a : b);
    }
    stats.rejectPreviews.clear();
    stats.rejectPreviews.addAll(bySample.values());
    stats.rejectPreviews.sort(
        (a, b) ->
            (a.path("stage").asText() + a.path("reason").asText() + a.path("sample_id").asText())
                .compareTo(
                    b.path("stage").asText()
                        + b.path("reason").asText()
                        + b.path("sample_id").asText()));
    stats
        .exports
        .values()
        .forEach(
            files ->
                files.sort((a, b) -> a.path("file").asText().compareTo(b.path("file").asText())));
    return stats;
  }

  public boolean balanced() {
    return violations.isEmpty() && inputs == kept + rejected;
  }
}
