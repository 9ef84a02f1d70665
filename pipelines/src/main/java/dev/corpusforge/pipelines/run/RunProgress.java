package dev.corpusforge.pipelines.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corpusforge.core.output.ProgressMeter;
import dev.corpusforge.core.output.ProgressMeter.Counts;
import dev.corpusforge.core.output.StatsLines;
import dev.corpusforge.pipelines.cluster.FlinkRest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.util.VarInt;

/**
 * Where {@link ProgressMeter} reads a run's counts: the Beam counters {@code progress/read|kept|
 * rejected}. While the run goes on, from the Direct runner's pipeline result, or from Flink's REST
 * API on embedded Flink and on a cluster alike; when it has ended, from the pipeline result.
 *
 * <p>Flink's batch runner hands Beam counters to Flink only when a task ends, so while a job runs
 * the REST source reads what Flink itself counts live: the records into each counting step ({@code
 * numRecordsIn} of the operator named {@link ProgressMeter#stepName}), summed over its subtasks and
 * polled from the vertices running (Flink refreshes these every few seconds: {@code
 * metrics.fetcher.update-interval}). It names the stages running, too.
 */
public final class RunProgress {
  private static final List<String> COUNTED =
      List.of(ProgressMeter.READ, ProgressMeter.KEPT, ProgressMeter.REJECTED);

  private RunProgress() {}

  /** The counts the pipeline result holds (Direct while it runs; any runner once it has ended). */
  public static Counts fromResult(PipelineResult result) {
    Map<String, Long> counts = new HashMap<>();
    for (String which : COUNTED) {
      long sum = 0;
      for (MetricResult<Long> c :
          result
              .metrics()
              .queryMetrics(
                  MetricsFilter.builder()
                      .addNameFilter(MetricNameFilter.named(ProgressMeter.NAMESPACE, which))
                      .build())
              .getCounters()) {
        sum += RunMetrics.value(c);
      }
      counts.put(which, sum);
    }
    return new Counts(
        counts.get(ProgressMeter.READ),
        counts.get(ProgressMeter.KEPT),
        counts.get(ProgressMeter.REJECTED),
        "");
  }

  /** Reads a Flink job's counts through the REST API at {@code address} ({@code host:port}). */
  public static final class FlinkSource implements ProgressMeter.Source, AutoCloseable {
    private final FlinkRest rest;
    private final String jobName;
    private String jobId;

    /** The highest live count read per (vertex, counting step). */
    private final Map<String, Long> live = new HashMap<>();

    private static final int MAX_STAGES_SHOWN = 3;

    public FlinkSource(String address, String jobName) {
      this.rest = new FlinkRest(address);
      this.jobName = jobName;
    }

    @Override
    public Counts poll() throws Exception {
      if (jobId == null) {
        jobId = rest.jobIdByName(jobName);
        if (jobId == null) {
          return new Counts(0, 0, 0, "submitting");
        }
      }
      Map<String, Long> counts = finishedTaskCounters(rest.accumulators(jobId));
      Map<String, Long> running = new LinkedHashMap<>();
      for (JsonNode vertex : rest.job(jobId).path("vertices")) {
        if (!"RUNNING".equals(vertex.path("status").asText())) {
          continue;
        }
        String name = vertex.path("name").asText();
        String stage = stageOf(name);
        if (!stage.isEmpty()) {
          running.merge(stage, vertex.path("metrics").path("read-records").asLong(), Long::sum);
        }
        if (COUNTED.stream().anyMatch(w -> name.contains(ProgressMeter.stepName(w)))) {
          liveCounts(vertex.path("id").asText());
        }
      }
      live.forEach((key, n) -> counts.merge(key.substring(key.indexOf('\t') + 1), n, Math::max));
      return new Counts(
          counts.getOrDefault(ProgressMeter.READ, 0L),
          counts.getOrDefault(ProgressMeter.KEPT, 0L),
          counts.getOrDefault(ProgressMeter.REJECTED, 0L),
          running.isEmpty() ? "" : "running: " + describe(running));
    }

    /** The first few stages running, with the records each has taken in so far. */
    private static String describe(Map<String, Long> running) {
      List<String> parts = new ArrayList<>();
      running.forEach(
          (stage, in) -> {
            if (parts.size() < MAX_STAGES_SHOWN) {
              parts.add(String.format(Locale.ROOT, "%s %,d in", stage, in));
            }
          });
      int more = running.size() - parts.size();
      return String.join(", ", parts) + (more > 0 ? " and " + more + " more" : "");
    }

    /** The records into each counting step of a running vertex so far, as Flink counts them. */
    private void liveCounts(String vertexId) throws IOException {
      for (JsonNode metric : rest.vertexMetricIds(jobId, vertexId)) {
        String id = metric.path("id").asText();
        for (String which : COUNTED) {
          if (id.endsWith(".numRecordsIn") && id.contains(marker(which))) {
            live.merge(
                vertexId + "\t" + which, rest.vertexMetricSum(jobId, vertexId, id), Math::max);
          }
        }
      }
    }

    /**
     * The progress counters of the tasks that have finished: Beam's runner hands each task's
     * metrics to Flink as the accumulator {@code __metricscontainers} when the task ends, which the
     * REST API shows as Beam's monitoring infos (a sum's payload is a base64 var-int).
     */
    static Map<String, Long> finishedTaskCounters(JsonNode accumulators) throws IOException {
      Map<String, Long> counts = new HashMap<>();
      for (JsonNode acc : accumulators.path("user-task-accumulators")) {
        if (!"__metricscontainers".equals(acc.path("name").asText())) {
          continue;
        }
        JsonNode infos = StatsLines.JSON.readTree(acc.path("value").asText());
        for (JsonNode info : infos.path("metrics").path("attempted")) {
          JsonNode labels = info.path("labels");
          String which = labels.path("NAME").asText();
          if (ProgressMeter.NAMESPACE.equals(labels.path("NAMESPACE").asText())
              && COUNTED.contains(which)
              && info.path("type").asText().contains("sum_int64")) {
            long n =
                VarInt.decodeLong(
                    new ByteArrayInputStream(
                        Base64.getDecoder().decode(info.path("payload").asText())));
            counts.merge(which, n, Long::sum);
          }
        }
      }
      return counts;
    }

    /** A counting step's name as Flink writes it into metric ids. */
    static String marker(String which) {
      return ProgressMeter.stepName(which).replace(' ', '_');
    }

    /**
     * The first stage a Flink vertex runs, from its name ({@code CHAIN FlatMap (FlatMap at Walk
     * from the seed/Apply sample/…) -> …} → {@code Walk from the seed}); empty for Flink's own.
     */
    static String stageOf(String vertexName) {
      int at = vertexName.indexOf(" at ");
      if (at < 0) {
        return "";
      }
      String rest = vertexName.substring(at + 4);
      int slash = rest.indexOf('/');
      int close = rest.indexOf(')') < 0 ? rest.length() : closing(rest);
      String stage = rest.substring(0, slash >= 0 ? Math.min(slash, close) : close);
      // the split a recipe makes after a stage ("After Tokenise and split (1)") is that stage's
      stage =
          stage.replaceAll("\\.out\\d+$", "").replaceAll("^After (.*) \\(\\d+\\)$", "$1").strip();
      return stage.startsWith("translateNode") || stage.startsWith("Impulse") ? "" : stage;
    }

    /** Where the operator's name ends: the first ')' that closes no '(' of the name itself. */
    private static int closing(String s) {
      int depth = 0;
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c == '(') {
          depth++;
        } else if (c == ')' && depth-- == 0) {
          return i;
        }
      }
      return s.length();
    }

    @Override
    public void close() {
      rest.close();
    }
  }
}
