package dev.corpusforge.pipelines.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a schedule's {@code jobs.yaml}: a list {@code jobs} of mappings, keys as in the README
 * (kebab-case). Every mistake is reported with the job and key it is in; unknown keys are errors,
 * so a typo never silently falls back to a default.
 */
public final class JobsFile {
  public static final int DEFAULT_RETRIES = 2;
  public static final long DEFAULT_RETRY_BACKOFF_SECONDS = 60;
  public static final long DEFAULT_SETTLE_SECONDS = 10;
  private static final Set<String> KEYS =
      Set.of(
          "name",
          "cron",
          "time-zone",
          "pipeline",
          "input",
          "include",
          "input-flag",
          "output",
          "runner",
          "flink-master",
          "args",
          "retries",
          "retry-backoff-seconds",
          "max-files-per-run",
          "settle-seconds",
          "timeout-minutes",
          "jvm-options");

  /** Options the schedule sets itself for each run. */
  private static final Set<String> RESERVED =
      Set.of("--output", "--runner", "--flink-master", "--overwrite", "--config");

  private JobsFile() {}

  public static List<ScheduledJob> read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("jobs file " + file + " does not exist");
    }
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "jobs file " + file + " is not valid YAML: " + e.getMessage());
    }
    return parse(root, file.toString());
  }

  static List<ScheduledJob> parse(JsonNode root, String where) {
    if (root == null || !root.isObject() || !root.path("jobs").isArray()) {
      throw new IllegalArgumentException(where + ": expected a mapping with a list 'jobs'");
    }
    List<ScheduledJob> jobs = new ArrayList<>();
    Set<String> names = new HashSet<>();
    int i = 0;
    for (JsonNode j : root.path("jobs")) {
      String at = where + ": jobs[" + i++ + "]";
      ScheduledJob job = job(j, at);
      if (!names.add(job.name())) {
        throw new IllegalArgumentException(at + ": a second job named '" + job.name() + "'");
      }
      jobs.add(job);
    }
    if (jobs.isEmpty()) {
      throw new IllegalArgumentException(where + ": 'jobs' is empty");
    }
    return jobs;
  }

  static ScheduledJob job(JsonNode j, String at) {
    if (!j.isObject()) {
      throw new IllegalArgumentException(at + ": expected a mapping");
    }
    for (Iterator<String> it = j.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException(
            at
                + ": unknown key '"
                + key
                + "' (known: "
                + String.join(", ", KEYS.stream().sorted().toList())
                + ")");
      }
    }
    String name = required(j, "name", at);
    if (!name.matches("[A-Za-z0-9._-]{1,100}")) {
      throw new IllegalArgumentException(
          at
              + ": name '"
              + name
              + "' may hold only letters, digits, '.', '_' and '-' (at most 100)");
    }
    at = at + " (" + name + ")";
    String cron;
    try {
      cron = CronSpec.toQuartz(required(j, "cron", at));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(at + ": " + e.getMessage());
    }
    String zone = text(j, "time-zone", "UTC");
    try {
      ZoneId.of(zone);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(at + ": unknown time-zone '" + zone + "'");
    }
    String pipeline = required(j, "pipeline", at);
    if (!ScheduledJob.PIPELINES.contains(pipeline)) {
      throw new IllegalArgumentException(
          at
              + ": unknown pipeline '"
              + pipeline
              + "' (one of "
              + String.join(", ", ScheduledJob.PIPELINES.stream().sorted().toList())
              + ")");
    }
    String runner = target(j, at);
    String inputFlag = text(j, "input-flag", "--input");
    List<String> args = args(j.path("args"), at);
    for (String a : args) {
      String flag = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
      if (RESERVED.contains(flag) || flag.equals(inputFlag)) {
        throw new IllegalArgumentException(
            at + ": args must not set " + flag + "; the schedule sets it for each run");
      }
    }
    return new ScheduledJob(
        name,
        cron,
        zone,
        pipeline,
        required(j, "input", at),
        text(j, "include", "**"),
        inputFlag,
        required(j, "output", at),
        runner,
        args,
        (int) number(j, "retries", DEFAULT_RETRIES, at),
        number(j, "retry-backoff-seconds", DEFAULT_RETRY_BACKOFF_SECONDS, at),
        (int) number(j, "max-files-per-run", 0, at),
        number(j, "settle-seconds", DEFAULT_SETTLE_SECONDS, at),
        minutes(j, "timeout-minutes", at),
        args(j.path("jvm-options"), at));
  }

  /**
   * Where a job's runs go, in {@code forge run}'s words: {@code runner: flink} (the default) or
   * {@code direct}, and for flink {@code flink-master: [local]} (the default: Flink in the run's
   * JVM), {@code cluster} (the session cluster of {@code forge cluster start}) or {@code
   * HOST:PORT}. The words of the previous release ({@code runner: embedded | cluster | HOST:PORT})
   * still work, with a warning. Returns the target as {@link ScheduledJob#runner()} holds it.
   */
  static String target(JsonNode j, String at) {
    String runner = text(j, "runner", "flink");
    String master = text(j, "flink-master", null);
    if (runner.equals("embedded") || runner.equals("cluster") || isHostPort(runner)) {
      String now =
          runner.equals("embedded")
              ? "runner: flink"
              : "runner: flink with flink-master: " + runner;
      System.err.println(
          "warning: "
              + at
              + ": runner: "
              + runner
              + " is deprecated and goes in the next release; use "
              + now);
      if (master != null) {
        throw new IllegalArgumentException(
            at + ": flink-master needs runner: flink, not runner: " + runner);
      }
      return runner;
    }
    if (runner.equals("direct")) {
      if (master != null) {
        throw new IllegalArgumentException(at + ": flink-master needs runner: flink, not direct");
      }
      return "direct";
    }
    if (!runner.equals("flink")) {
      throw new IllegalArgumentException(
          at + ": runner '" + runner + "' is neither flink nor direct");
    }
    if (master == null || master.equals("[local]")) {
      return "embedded";
    }
    if (master.equals("cluster") || isHostPort(master)) {
      return master;
    }
    throw new IllegalArgumentException(
        at + ": flink-master '" + master + "' is none of [local], cluster or HOST:PORT");
  }

  private static boolean isHostPort(String s) {
    return s.matches("[^\\s:/\\[\\]]+:\\d{1,5}");
  }

  /**
   * Options as a list ({@code [--min-side, "200"]}) or a mapping ({@code min-side: 200}; {@code
   * true} for a bare flag).
   */
  static List<String> args(JsonNode node, String at) {
    List<String> out = new ArrayList<>();
    if (node.isMissingNode() || node.isNull()) {
      return out;
    }
    if (node.isArray()) {
      for (JsonNode a : node) {
        if (!a.isValueNode()) {
          throw new IllegalArgumentException(at + ": args entries must be plain values");
        }
        out.add(a.asText());
      }
      return out;
    }
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String flag = e.getKey().startsWith("-") ? e.getKey() : "--" + e.getKey();
        JsonNode v = e.getValue();
        if (v.isBoolean()) {
          if (v.asBoolean()) {
            out.add(flag);
          }
        } else if (v.isArray()) {
          for (JsonNode x : v) {
            out.add(flag);
            out.add(x.asText());
          }
        } else if (v.isValueNode() && !v.isNull()) {
          out.add(flag);
          out.add(v.asText());
        } else {
          throw new IllegalArgumentException(
              at + ": args." + e.getKey() + " must be a value, a list of values or true/false");
        }
      }
      return out;
    }
    throw new IllegalArgumentException(at + ": args must be a list or a mapping");
  }

  private static String required(JsonNode j, String key, String at) {
    String v = text(j, key, null);
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException(at + ": '" + key + "' is required");
    }
    return v;
  }

  private static String text(JsonNode j, String key, String fallback) {
    JsonNode v = j.get(key);
    return v == null || v.isNull() ? fallback : v.asText();
  }

  /** Minutes ≥ 0, fractions allowed (0.5 is thirty seconds); 0 when absent. */
  private static double minutes(JsonNode j, String key, String at) {
    JsonNode v = j.get(key);
    if (v == null || v.isNull()) {
      return 0;
    }
    if (v.isNumber() && v.asDouble() >= 0 && Double.isFinite(v.asDouble())) {
      return v.asDouble();
    }
    if (v.isTextual() && v.asText().matches("\\d{1,9}(\\.\\d{1,9})?")) {
      return Double.parseDouble(v.asText());
    }
    throw new IllegalArgumentException(
        at + ": '" + key + "' must be a number of minutes ≥ 0, not '" + v.asText() + "'");
  }

  private static long number(JsonNode j, String key, long fallback, String at) {
    JsonNode v = j.get(key);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (v.isIntegralNumber() && v.canConvertToLong() && v.asLong() >= 0) {
      return v.asLong();
    }
    if (v.isTextual() && v.asText().matches("\\d{1,18}")) {
      return Long.parseLong(v.asText());
    }
    throw new IllegalArgumentException(
        at + ": '" + key + "' must be a whole number ≥ 0, not '" + v.asText() + "'");
  }
}
