package dev.corpusforge.pipelines.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corpusforge.core.output.StatsLines;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Where a run's wall time went, phase by phase, from the command's start ({@link CommandStart}):
 * {@code start-up} (JVM, CLI, input checks), {@code plan} (building the Beam pipeline), {@code job}
 * (the runner: Flink's start, the work, its shutdown), {@code finish} (statistics, manifest,
 * report). The manifest keeps them under {@code metrics.timings_seconds}; the console prints one
 * line.
 */
final class RunTimings {
  private final Map<String, Double> seconds = new LinkedHashMap<>();
  private long last = CommandStart.take();

  /** Ends the phase {@code name} now. */
  void end(String name) {
    long now = System.currentTimeMillis();
    seconds.put(name, (now - last) / 1000.0);
    last = now;
  }

  ObjectNode toJson() {
    ObjectNode node = StatsLines.JSON.createObjectNode();
    seconds.forEach(node::put);
    return node;
  }

  /** e.g. {@code time: start-up 3.1 s, plan 0.9 s, job 8.2 s, finish 0.4 s}. */
  String line() {
    return seconds.entrySet().stream()
        .map(e -> String.format("%s %.1f s", e.getKey(), e.getValue()))
        .collect(Collectors.joining(", ", "time: ", ""));
  }
}
