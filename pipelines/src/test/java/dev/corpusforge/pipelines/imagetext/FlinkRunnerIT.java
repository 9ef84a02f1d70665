package dev.corpusforge.pipelines.imagetext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corpusforge.pipelines.cli.Forge;
import dev.corpusforge.pipelines.testing.OutputReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled sample on embedded Flink (the default runner) and on the Direct runner with another
 * parallelism: both must keep and reject the same records with the same values.
 */
class FlinkRunnerIT {
  @TempDir Path tmp;

  /** sample_id → the values that must not depend on the runner. */
  private static Map<String, String> fingerprint(Path out) throws Exception {
    Map<String, String> rows = new TreeMap<>();
    for (Map<String, Object> r : OutputReader.parquetRows(out.resolve("data"))) {
      rows.put((String) r.get("sample_id"), "kept|" + r.get("caption") + "|" + r.get("pixel_hash") + "|" + r.get("phash") + "|" + r.get("language_score")
          + "|" + java.util.Arrays.hashCode((byte[]) r.get("image")));
    }
    for (Map<String, Object> r : OutputReader.parquetRows(out.resolve("rejects"))) {
      rows.put((String) r.get("sample_id"), "rejected|" + r.get("stage") + "|" + r.get("reason") + "|" + r.get("detail"));
    }
    return rows;
  }

  @Test
  void embeddedFlinkMatchesTheDirectRunner() throws Exception {
    Path input = Path.of("..", "samples", "image-text").toAbsolutePath().normalize();
    Path flinkOut = tmp.resolve("flink");
    Path directOut = tmp.resolve("direct");
    assertEquals(0, Forge.execute("run", "image-text", "--input", input.toString(), "--output", flinkOut.toString(), "--parallelism", "2", "--progress-seconds", "0"));
    assertEquals(0, Forge.execute("run", "image-text", "--runner", "direct", "--parallelism", "1", "--input", input.toString(), "--output", directOut.toString(), "--progress-seconds", "0"));
    assertTrue(Files.exists(flinkOut.resolve("_SUCCESS")));
    Map<String, String> flink = fingerprint(flinkOut);
    assertFalse(flink.isEmpty());
    assertEquals(fingerprint(directOut), flink);
    assertTrue(Files.readString(flinkOut.resolve("manifest.json")).contains("\"runner\" : \"flink [local]\""));
    List<String> shards = OutputReader.tarMembers(flinkOut.resolve("exports/webdataset")).keySet().stream().filter(n -> n.endsWith(".jpg")).toList();
    assertEquals(flink.values().stream().filter(v -> v.startsWith("kept")).count(), shards.size());
  }
}
