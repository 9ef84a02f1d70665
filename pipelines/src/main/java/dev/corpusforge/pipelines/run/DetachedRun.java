package dev.corpusforge.pipelines.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corpusforge.core.output.OutputLayout;
import dev.corpusforge.core.output.StatsLines;
import dev.corpusforge.pipelines.cluster.FlinkRest;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;

/**
 * A run submitted with {@code --detached}: the Flink job it became and the manifest's head, kept in
 * the output's working folder ({@code _run/submission.json}) until {@code forge jobs finish}
 * completes the run once the job has ended.
 */
public record DetachedRun(
    String jobId, String flinkMaster, String jobName, ObjectNode manifestHead) {
  static final String FILE = "submission.json";

  static String path(OutputLayout layout) {
    return layout.runDir() + "/" + FILE;
  }

  static void write(OutputLayout layout, DetachedRun run) throws IOException {
    ObjectNode o = StatsLines.JSON.createObjectNode();
    o.put("job_id", run.jobId())
        .put("flink_master", run.flinkMaster())
        .put("job_name", run.jobName());
    o.set("manifest_head", run.manifestHead());
    OutputFiles.writeString(
        path(layout), StatsLines.JSON.writeValueAsString(o) + "\n", "application/json");
  }

  /**
   * The detached run whose output is {@code output}; IllegalArgumentException when there is none.
   */
  public static DetachedRun read(String output) throws IOException {
    OutputLayout layout = new OutputLayout(output);
    if (!OutputFiles.exists(path(layout))) {
      throw new IllegalArgumentException(
          OutputFiles.exists(layout.success())
              ? output + " is already complete (_SUCCESS is there)"
              : "no detached run in " + output + " (" + path(layout) + " is missing)");
    }
    JsonNode o = StatsLines.JSON.readTree(OutputFiles.readString(path(layout)));
    return new DetachedRun(
        o.path("job_id").asText(),
        o.path("flink_master").asText(),
        o.path("job_name").asText(),
        (ObjectNode) o.path("manifest_head"));
  }

  /**
   * The id of the job named {@code jobName} (each run's job name is unique), as soon as the cluster
   * lists it.
   */
  static String jobIdOf(String flinkMaster, String jobName) throws IOException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    try (FlinkRest rest = new FlinkRest(flinkMaster)) {
      while (true) {
        String id = rest.jobIdByName(jobName);
        if (id != null) {
          return id;
        }
        if (Instant.now().isAfter(deadline)) {
          throw new IOException(
              "the cluster at "
                  + flinkMaster
                  + " does not list job "
                  + jobName
                  + " a minute after its submission");
        }
        try {
          Thread.sleep(250);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", e);
        }
      }
    }
  }
}
