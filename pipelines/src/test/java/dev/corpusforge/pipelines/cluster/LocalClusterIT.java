package dev.corpusforge.pipelines.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corpusforge.pipelines.cli.Forge;
import dev.corpusforge.pipelines.testing.OutputReader;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code forge cluster start}: a JobManager and a TaskManager as separate JVMs on 127.0.0.1, a job
 * submitted over REST with {@code --flink-master} and read back, then {@code forge cluster stop}
 * ends every process it started (also when the test fails).
 */
class LocalClusterIT {
  @TempDir Path tmp;
  private Path state;

  @AfterEach
  void stopEverything() throws Exception {
    if (state != null) {
      LocalFlinkCluster.stop(state, Duration.ofSeconds(20), new PrintStream(java.io.OutputStream.nullOutputStream()));
    }
  }

  @Test
  void startsSubmitsAndStops() throws Exception {
    state = tmp.resolve("cluster");
    String home = System.getProperty("corpusforge.home");
    System.setProperty("corpusforge.home", Path.of("..").toAbsolutePath().normalize().toString());
    try {
      assertEquals(3, Forge.execute("cluster", "status", "--state", state.toString()), "nothing runs yet");
      assertEquals(0, Forge.execute("cluster", "start", "--state", state.toString(), "--taskmanagers", "1", "--rest-port", "0", "--rpc-port", "0",
          "--blob-port", "0", "--timeout-seconds", "240"));
    } finally {
      if (home == null) {
        System.clearProperty("corpusforge.home");
      } else {
        System.setProperty("corpusforge.home", home);
      }
    }
    LocalFlinkCluster.Status status = LocalFlinkCluster.status(state);
    assertTrue(status.running());
    assertEquals(2, status.processes().size(), status.processes().toString());
    assertEquals(1, status.overview().path("taskmanagers").asInt());
    List<Long> pids = new ArrayList<>();
    for (String name : LocalFlinkCluster.pidNames(state)) {
      pids.add(LocalFlinkCluster.process(state, name).orElseThrow().pid());
    }
    assertEquals(2, Forge.execute("cluster", "start", "--state", state.toString(), "--rest-port", "0"), "a second start on the same state is refused");

    Path out = tmp.resolve("out");
    Path input = Path.of("..", "samples", "image-text").toAbsolutePath().normalize();
    assertEquals(0, Forge.execute("run", "image-text", "--flink-master", status.restAddress(), "--parallelism", "2", "--input", input.toString(),
        "--output", out.toString(), "--progress-seconds", "0"));
    JsonNode manifest = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
    assertEquals("flink " + status.restAddress(), manifest.path("runner").asText());
    assertTrue(manifest.path("accounting").path("balanced").asBoolean());
    assertTrue(Files.exists(out.resolve("_SUCCESS")));
    assertEquals(manifest.path("counts").path("kept").asInt(), OutputReader.parquetRows(out.resolve("data")).size());
    try (FlinkRest rest = new FlinkRest(status.restAddress())) {
      assertEquals(1, rest.overview().path("jobs-finished").asInt(), "the job ran on this cluster");
    }

    assertEquals(0, Forge.execute("cluster", "stop", "--state", state.toString()));
    for (long pid : pids) {
      assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "process " + pid + " ended");
    }
    assertEquals(3, Forge.execute("cluster", "status", "--state", state.toString()));
    assertTrue(Files.exists(state.resolve("log/jobmanager.log")) && Files.exists(state.resolve("log/taskmanager-1.log")), "logs are kept");
  }
}
