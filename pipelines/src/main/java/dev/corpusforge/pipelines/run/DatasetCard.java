package dev.corpusforge.pipelines.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.corpusforge.core.output.ImageColumns;
import dev.corpusforge.core.output.StatsLines;
import org.apache.avro.Schema;

/**
 * The dataset card, {@code OUT/README.md}, as the Hugging Face Hub and {@code datasets} read one: a
 * YAML header with the license, the configs ({@code default}: the kept rows under {@code data/} as
 * the {@code train} split; {@code rejects}: the reject rows) and each config's features and row
 * counts; then, for a person, the counts by stage and reason, the exports, how to load it, and the
 * run's config. {@code load_dataset(OUT)} reads the header; {@code load_dataset("parquet",
 * data_dir=OUT)} does not, and finds {@code data/part-*} by its file names.
 */
final class DatasetCard {
  private static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
              .build());

  private DatasetCard() {}

  /**
   * The features of {@code schema}'s rows in the card's words ({@code datasets}' YAML form): one
   * {@code {name, dtype | list | struct}} per field.
   */
  static ArrayNode features(Schema schema) {
    ArrayNode list = StatsLines.JSON.createArrayNode();
    for (Schema.Field f : schema.getFields()) {
      ObjectNode feature = list.addObject().put("name", f.name());
      describe(f.schema(), feature);
    }
    return list;
  }

  /**
   * Adds the type of {@code s} to {@code feature}: {@code dtype}, {@code list} or {@code struct}.
   */
  private static void describe(Schema s, ObjectNode feature) {
    Schema t = nonNull(s);
    if (ImageColumns.isImage(t)) {
      feature.put("dtype", "image");
      return;
    }
    switch (t.getType()) {
      case ARRAY -> {
        Schema item = nonNull(t.getElementType());
        if (item.getType() == Schema.Type.RECORD && !ImageColumns.isImage(item)) {
          feature.set("list", features(item));
        } else if (item.getType() == Schema.Type.ARRAY) {
          ObjectNode inner = StatsLines.JSON.createObjectNode();
          describe(item, inner);
          feature.set("list", inner);
        } else {
          ObjectNode inner = StatsLines.JSON.createObjectNode();
          describe(item, inner);
          feature.set("list", inner.get("dtype"));
        }
      }
      case RECORD -> feature.set("struct", features(t));
      default -> feature.put("dtype", dtype(t));
    }
  }

  private static String dtype(Schema t) {
    return switch (t.getType()) {
      case STRING, ENUM -> "string";
      case INT -> "int32";
      case LONG -> "int64";
      case FLOAT -> "float32";
      case DOUBLE -> "float64";
      case BOOLEAN -> "bool";
      case BYTES, FIXED -> "binary";
      default ->
          throw new IllegalArgumentException(
              "no Hugging Face feature for a " + t.getType() + " column: " + t);
    };
  }

  /** {@code s} without its null branch. */
  private static Schema nonNull(Schema s) {
    if (s.getType() != Schema.Type.UNION) {
      return s;
    }
    for (Schema branch : s.getTypes()) {
      if (branch.getType() != Schema.Type.NULL) {
        return branch;
      }
    }
    return s;
  }

  /**
   * The data files: in sub-folders of {@code data/} or not, and how many rows they hold.
   *
   * @param partitioned whether the data sit in sub-folders of {@code data/} ({@code len=256/})
   * @param rows the rows of every data file
   */
  record DataFiles(boolean partitioned, long rows) {}

  /**
   * The card's text.
   *
   * @param manifest the run's whole manifest (counts, config, exports)
   * @param features the features of each schema the run names ({@code data}, {@code reject}), from
   *     {@link #features}; missing in the head of a run submitted before cards were written
   * @param data the data files
   */
  static String render(ObjectNode manifest, JsonNode features, DataFiles data) {
    String pipeline = manifest.path("pipeline").asText();
    JsonNode counts = manifest.path("counts");
    boolean partitioned = data.partitioned();
    long kept = counts.path("kept").asLong();
    long rejected = counts.path("rejected").asLong();
    String dataFiles = partitioned ? "data/**/*.parquet" : "data/*.parquet";

    ObjectNode header = StatsLines.JSON.createObjectNode();
    header.put("license", manifest.path("license").asText(RunSettings.UNKNOWN_LICENSE));
    header.put("pretty_name", "corpusforge " + pipeline);
    header.putArray("tags").add("corpusforge").add(pipeline);
    ArrayNode configs = header.putArray("configs");
    config(configs, "default", dataFiles, true);
    config(configs, "rejects", "rejects/*.parquet", false);
    ArrayNode info = header.putArray("dataset_info");
    info(info, "default", features.get("data"), data.rows());
    info(info, "rejects", features.get("reject"), rejected);

    StringBuilder card = new StringBuilder();
    card.append("---\n").append(yaml(header)).append("---\n\n");
    card.append("# corpusforge ").append(pipeline).append('\n').append('\n');
    card.append("Built by corpusforge ")
        .append(manifest.path("tool_version").asText())
        .append(" (`forge run ")
        .append(pipeline)
        .append("`), run `")
        .append(manifest.path("run_id").asText())
        .append("`, finished ")
        .append(manifest.path("finished_at").asText())
        .append(". `manifest.json` holds the whole record of the run; `report.html` shows it.\n\n");
    card.append("## Loading\n\n```python\nfrom datasets import load_dataset\n\n")
        .append(
            "kept = load_dataset(\"path/to/this/folder\", split=\"train\")  # reads this card\n")
        .append(
            "rejects = load_dataset(\"path/to/this/folder\", \"rejects\", split=\"train\")  # why"
                + " each dropped input was dropped\n```\n\n");
    if (!partitioned) {
      card.append(
          "`load_dataset(\"parquet\", data_dir=...)` does not read this card: it finds the kept"
              + " rows by their file names, `data/part-*`, as the split `part`.\n\n");
    }
    card.append("## Counts\n\n| | rows |\n|---|---|\n")
        .append("| inputs | ")
        .append(counts.path("inputs").asLong())
        .append(" |\n| kept (inputs) | ")
        .append(kept)
        .append(" |\n| rows of `data/` (split `train`) | ")
        .append(data.rows())
        .append(" |\n| rejected (`rejects/`, config `rejects`) | ")
        .append(rejected)
        .append(" |\n\n");
    JsonNode byStage = counts.path("rejected_by_stage");
    if (byStage.size() > 0) {
      card.append("Rejected by stage and reason:\n\n| stage | reason | rows |\n|---|---|---|\n");
      byStage
          .fields()
          .forEachRemaining(
              stage ->
                  stage
                      .getValue()
                      .fields()
                      .forEachRemaining(
                          reason ->
                              card.append("| ")
                                  .append(stage.getKey())
                                  .append(" | `")
                                  .append(reason.getKey())
                                  .append("` | ")
                                  .append(reason.getValue().asLong())
                                  .append(" |\n")));
      card.append('\n');
    }
    JsonNode exports = manifest.path("exports");
    if (exports.size() > 0) {
      card.append("## Exports\n\n| format | files | samples |\n|---|---|---|\n");
      exports
          .fields()
          .forEachRemaining(
              e ->
                  card.append("| ")
                      .append(e.getKey())
                      .append(" | ")
                      .append(e.getValue().path("files").asLong())
                      .append(" | ")
                      .append(e.getValue().path("samples").asLong())
                      .append(" |\n"));
      card.append('\n');
    }
    card.append("## Config\n\nEvery setting of the run, as `manifest.json` echoes it:\n\n```json\n")
        .append(pretty(manifest.path("config")))
        .append("\n```\n");
    return card.toString();
  }

  private static void config(ArrayNode configs, String name, String path, boolean isDefault) {
    ObjectNode c = configs.addObject().put("config_name", name);
    if (isDefault) {
      c.put("default", true);
    }
    c.putArray("data_files").addObject().put("split", "train").put("path", path);
  }

  private static void info(ArrayNode info, String name, JsonNode features, long rows) {
    ObjectNode c = info.addObject().put("config_name", name);
    if (features != null) {
      c.set("features", features);
    }
    c.putArray("splits").addObject().put("name", "train").put("num_examples", rows);
  }

  private static String yaml(JsonNode node) {
    try {
      return YAML.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pretty(JsonNode node) {
    try {
      return StatsLines.JSON
          .copy()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
