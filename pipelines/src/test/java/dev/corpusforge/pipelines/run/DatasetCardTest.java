package dev.corpusforge.pipelines.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corpusforge.core.output.ImageColumns;
import dev.corpusforge.pipelines.testing.OutputReader;
import dev.corpusforge.schemas.Reject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetCardTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  /**
   * Each Avro type in datasets' YAML words, as datasets' own Features._to_yaml_list writes them.
   */
  @Test
  void featuresInTheWordsOfDatasetsYaml() throws Exception {
    Schema pair =
        SchemaBuilder.record("Pair")
            .fields()
            .requiredString("name")
            .optionalDouble("score")
            .endRecord();
    Schema schema =
        SchemaBuilder.record("Row")
            .fields()
            .requiredString("id")
            .optionalInt("width")
            .requiredLong("phash")
            .requiredFloat("f")
            .requiredBoolean("ok")
            .optionalBytes("image")
            .optionalBytes("raw")
            .name("tokens")
            .type()
            .array()
            .items()
            .intType()
            .noDefault()
            .name("pairs")
            .type()
            .nullable()
            .array()
            .items(pair)
            .noDefault()
            .name("grid")
            .type()
            .array()
            .items()
            .array()
            .items()
            .floatType()
            .noDefault()
            .name("best")
            .type(pair)
            .noDefault()
            .endRecord();
    JsonNode features = DatasetCard.features(ImageColumns.rowSchema(schema, Set.of("image")));
    assertEquals(
        JSON.readTree(
            "[{\"name\":\"id\",\"dtype\":\"string\"},{\"name\":\"width\",\"dtype\":\"int32\"},"
                + "{\"name\":\"phash\",\"dtype\":\"int64\"},{\"name\":\"f\",\"dtype\":\"float32\"},"
                + "{\"name\":\"ok\",\"dtype\":\"bool\"},{\"name\":\"image\",\"dtype\":\"image\"},"
                + "{\"name\":\"raw\",\"dtype\":\"binary\"},{\"name\":\"tokens\",\"list\":\"int32\"},"
                + "{\"name\":\"pairs\",\"list\":[{\"name\":\"name\",\"dtype\":\"string\"},"
                + "{\"name\":\"score\",\"dtype\":\"float64\"}]},"
                + "{\"name\":\"grid\",\"list\":{\"list\":\"float32\"}},"
                + "{\"name\":\"best\",\"struct\":[{\"name\":\"name\",\"dtype\":\"string\"},"
                + "{\"name\":\"score\",\"dtype\":\"float64\"}]}]"),
        features);
    Schema withMap =
        SchemaBuilder.record("M")
            .fields()
            .name("m")
            .type()
            .map()
            .values()
            .stringType()
            .noDefault()
            .endRecord();
    assertThrows(IllegalArgumentException.class, () -> DatasetCard.features(withMap));
  }

  /** The rows of data/, not the kept inputs, are the split's size; a partitioned output's glob. */
  @Test
  void theCardCountsRowsAndReadsBackWithPyYaml() throws Exception {
    ObjectNode manifest = JSON.createObjectNode();
    manifest.put("pipeline", "decompose").put("license", "apache-2.0").put("run_id", "r1");
    manifest.putObject("counts").put("inputs", 5).put("kept", 3).put("rejected", 2);
    manifest.with("counts").putObject("rejected_by_stage").putObject("split").put("too_short", 2);
    manifest.putObject("config").put("max_log2", 13);
    Schema data = SchemaBuilder.record("Seq").fields().requiredString("sample_id").endRecord();
    String card =
        DatasetCard.render(
            manifest,
            JSON.createObjectNode()
                .<ObjectNode>set("data", DatasetCard.features(data))
                .set("reject", DatasetCard.features(Reject.getClassSchema())),
            new DatasetCard.DataFiles(true, 11));
    Path file = tmp.resolve("README.md");
    Files.writeString(file, card);
    JsonNode header = OutputReader.cardHeader(file);
    assertEquals("apache-2.0", header.path("license").asText());
    assertEquals(
        "data/**/*.parquet",
        header.path("configs").get(0).path("data_files").get(0).path("path").asText());
    assertEquals(
        11, header.path("dataset_info").get(0).path("splits").get(0).path("num_examples").asLong());
    assertEquals(
        2, header.path("dataset_info").get(1).path("splits").get(0).path("num_examples").asLong());
    assertEquals(5, header.path("dataset_info").get(1).path("features").size());
    assertTrue(card.contains("| split | `too_short` | 2 |"), card);
    assertTrue(card.contains("\"max_log2\" : 13"), card);
  }
}
