package dev.corpusforge.pipelines.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corpusforge.pipelines.cli.Forge;
import dev.corpusforge.pipelines.run.DetachedRun;
import dev.corpusforge.pipelines.testing.OutputReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local session cluster — a JobManager and two TaskManagers as separate JVMs on 127.0.0.1 —
 * started with {@code forge cluster start}; a job submitted detached with a TaskManager killed
 * by SIGKILL in its middle: the job restarts, {@code forge jobs finish} completes the run, and its
 * output, read back, equals an undisturbed run's; and {@code forge cluster stop} ending every process it started, also when a
 * test fails. The kill test carries the tag {@code fault}: {@code mvn verify -pl pipelines
 * -Dit.test=LocalClusterIT -Dgroups=fault} runs it alone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalClusterIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path tmp;
  private Path state;
  private String rest;
  private final List<Long> pids = new ArrayList<>();

  @BeforeAll
  void start() throws Exception {
    state = tmp.resolve("cluster");
    String home = System.getProperty("corpusforge.home");
    System.setProperty("corpusforge.home", Path.of("..").toAbsolutePath().normalize().toString());
    try {
      assertEquals(3, Forge.execute("cluster", "status", "--state", state.toString()), "nothing runs yet");
      assertEquals(0, Forge.execute("cluster", "start", "--state", state.toString(), "--taskmanagers", "2", "--rest-port", "0", "--rpc-port", "0",
          "--blob-port", "0", "--restart-delay-seconds", "2", "--timeout-seconds", "240"));
    } finally {
      if (home == null) {
        System.clearProperty("corpusforge.home");
      } else {
        System.setProperty("corpusforge.home", home);
      }
    }
    LocalFlinkCluster.Status status = LocalFlinkCluster.status(state);
    rest = status.restAddress();
    for (String name : LocalFlinkCluster.pidNames(state)) {
      pids.add(LocalFlinkCluster.process(state, name).orElseThrow().pid());
    }
  }

  @AfterAll
  void stopEverything() throws Exception {
    if (state == null) {
      return;
    }
    LocalFlinkCluster.stop(state, Duration.ofSeconds(20), new PrintStream(OutputStream.nullOutputStream()));
    for (long pid : pids) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  @Order(1)
  void startsAsSeparateProcesses() throws Exception {
    LocalFlinkCluster.Status status = LocalFlinkCluster.status(state);
    assertTrue(status.running());
    assertEquals(3, status.processes().size(), status.processes().toString());
    assertEquals(2, status.overview().path("taskmanagers").asInt());
    assertEquals(4, status.overview().path("slots-total").asInt());
    assertFalse(pids.contains(ProcessHandle.current().pid()));
    assertEquals(0, Forge.execute("cluster", "status", "--state", state.toString()));
    assertEquals(2, Forge.execute("cluster", "start", "--state", state.toString(), "--rest-port", "0"), "a second start on the same state is refused");
  }

  @Test
  @Order(2)
  @Tag("fault")
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void aTaskManagerKilledMidJobCostsARestartNotTheRun() throws Exception {
    Path coco = manyImages(tmp.resolve("many"), 30);
    Path undisturbed = tmp.resolve("undisturbed");
    assertEquals(0, Forge.execute("run", "som", "--runner", "direct", "--coco", coco.toString(), "--output", undisturbed.toString(), "--progress-seconds", "0"));

    Path out = tmp.resolve("killed");
    assertEquals(0, Forge.execute("run", "som", "--flink-master", rest, "--parallelism", "2", "--detached",
        "--coco", coco.toString(), "--output", out.toString(), "--progress-seconds", "0"), "submitted detached");
    String id = DetachedRun.read(out.toString()).jobId();
    long victim = LocalFlinkCluster.process(state, "taskmanager-1").orElseThrow().pid();
    try (FlinkRest client = new FlinkRest(rest)) {
      Instant deadline = Instant.now().plusSeconds(240);
      // mid-job: records are flowing between the job's tasks
      while (recordsMoved(client.job(id)) == 0) {
        assertTrue(Instant.now().isBefore(deadline), "records start flowing");
        Thread.sleep(200);
      }
      assertEquals("RUNNING", client.job(id).path("state").asText(), "still running when the TaskManager dies");
      assertEquals(4, Forge.execute("jobs", "finish", out.toString(), "--no-wait"), "a running job cannot be finished yet");
      assertFalse(Files.exists(out.resolve("_SUCCESS")) || Files.exists(out.resolve("manifest.json")), "nothing is complete while the job runs");
      new ProcessBuilder("kill", "-9", Long.toString(victim)).start().waitFor();
    }
    assertEquals(0, Forge.execute("jobs", "finish", out.toString(), "--poll-seconds", "1"), "the job restarted on the surviving TaskManager and finished");
    try (FlinkRest client = new FlinkRest(rest)) {
      assertEquals("FINISHED", client.job(id).path("state").asText());
      assertEquals(0, Forge.execute("jobs", "status", id, "--state", state.toString()), "forge jobs finds the local cluster and the job");
      assertTrue(client.job(id).path("vertices").size() > 0);
    }
    assertFalse(ProcessHandle.of(victim).map(ProcessHandle::isAlive).orElse(false));
    JsonNode manifest = JSON.readTree(out.resolve("manifest.json").toFile());
    assertTrue(manifest.path("accounting").path("balanced").asBoolean());
    assertEquals(id, manifest.path("metrics").path("flink_job_id").asText());
    assertEquals("flink " + rest, manifest.path("runner").asText());
    assertTrue(Files.exists(out.resolve("_SUCCESS")));
    assertEquals(rows(undisturbed), rows(out), "the same sample_ids and values as the undisturbed run");
    assertEquals(Files.readString(undisturbed.resolve("exports/llava/som_listing.json")), Files.readString(out.resolve("exports/llava/som_listing.json")));
  }

  /** Records the job's tasks have read or written so far (Flink's per-vertex metrics). */
  private static long recordsMoved(JsonNode job) {
    long n = 0;
    for (JsonNode v : job.path("vertices")) {
      n += v.path("metrics").path("read-records").asLong() + v.path("metrics").path("write-records").asLong();
    }
    return n;
  }

  /** samples/som's COCO file with every image listed {@code copies} times under new ids: a job long enough to interrupt. */
  static Path manyImages(Path dir, int copies) throws Exception {
    Path sample = Path.of("..", "samples", "som").toAbsolutePath().normalize();
    JsonNode coco = JSON.readTree(sample.resolve("annotations.json").toFile());
    ObjectNode many = JSON.createObjectNode();
    ArrayNode images = many.putArray("images");
    ArrayNode annotations = many.putArray("annotations");
    many.set("categories", coco.path("categories"));
    for (int c = 0; c < copies; c++) {
      for (JsonNode i : coco.path("images")) {
        images.addObject().put("id", c * 1000 + i.path("id").asInt()).put("file_name", sample.resolve(i.path("file_name").asText()).toString());
      }
      for (JsonNode a : coco.path("annotations")) {
        ObjectNode copy = a.deepCopy();
        copy.put("image_id", c * 1000 + a.path("image_id").asInt());
        annotations.add(copy);
      }
    }
    Files.createDirectories(dir);
    Path file = dir.resolve("annotations.json");
    JSON.writeValue(file.toFile(), many);
    return file;
  }

  private static Map<String, String> rows(Path out) throws Exception {
    Map<String, String> rows = new TreeMap<>();
    for (Map<String, Object> r : OutputReader.parquetRows(out.resolve("data"))) {
      Map<String, Object> copy = new TreeMap<>(r);
      copy.put("image", java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest((byte[]) r.get("image"))));
      rows.put((String) r.get("sample_id"), copy.toString());
    }
    assertEquals(270, rows.size());
    return rows;
  }
}
