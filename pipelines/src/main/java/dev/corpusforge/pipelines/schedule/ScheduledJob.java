package dev.corpusforge.pipelines.schedule;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One job of a schedule: which pipeline runs on which cron, over which input prefix, into which
 * output prefix, on which runner. Each run takes the input files no succeeded run of the job has
 * taken and writes {@code output/run=<run_id>/}.
 *
 * @param cron a Quartz cron expression (seconds first), already converted from Unix form
 * @param include glob over the paths relative to {@code input} ({@code **} for every file)
 * @param inputFlag the pipeline's option that takes each input file
 * @param runner where runs go: {@code embedded} (Flink in the run's JVM), {@code direct}, {@code
 *     cluster} (the local session cluster) or a Flink master {@code HOST:PORT}; a jobs file says it
 *     in {@code forge run}'s words ({@link JobsFile#target})
 * @param args further {@code forge run PIPELINE} options, as on the command line
 * @param retries extra attempts after a failed run, each {@code retryBackoffSeconds ×
 *     2^(attempt−1)} later
 * @param maxFilesPerRun at most this many new files per run (oldest path first); 0 for all
 * @param settleSeconds files modified more recently than this wait for a later run (still being
 *     written)
 * @param timeoutMinutes a run still going after this many minutes (fractions allowed) is stopped
 *     and failed; 0 for none
 * @param jvmOptions options for the JVM each run gets (such as {@code -Xmx8g})
 */
public record ScheduledJob(
    String name,
    String cron,
    String timeZone,
    String pipeline,
    String input,
    String include,
    String inputFlag,
    String output,
    String runner,
    List<String> args,
    int retries,
    long retryBackoffSeconds,
    int maxFilesPerRun,
    long settleSeconds,
    double timeoutMinutes,
    List<String> jvmOptions) {
  public static final Set<String> PIPELINES =
      Set.of("image-text", "decompose", "graph-summary", "region-entity", "som");

  public ScheduledJob {
    args = List.copyOf(args);
    jvmOptions = List.copyOf(jvmOptions);
  }

  /**
   * The options after {@code forge}: the pipeline, each input file, the run's output, the runner,
   * then the job's own options.
   */
  public List<String> forgeArgs(
      List<String> inputFiles, String runOutput, String flinkMaster, List<String> s3Args) {
    List<String> a = new ArrayList<>(List.of("run", pipeline));
    for (String f : inputFiles) {
      a.add(inputFlag);
      a.add(f);
    }
    a.add("--output");
    a.add(runOutput);
    switch (runner) {
      case "embedded" -> a.addAll(List.of("--runner", "flink"));
      case "direct" -> a.addAll(List.of("--runner", "direct"));
      default -> a.addAll(List.of("--runner", "flink", "--flink-master", flinkMaster));
    }
    a.addAll(s3Args);
    a.addAll(args);
    return a;
  }

  /** The output folder of one run. */
  public String runOutput(String runId) {
    return (output.endsWith("/") ? output : output + "/") + "run=" + runId;
  }

  /** A {@link #runner()} target in {@code forge run}'s words. */
  public static String describe(String runner) {
    return switch (runner) {
      case "embedded" -> "flink [local]";
      case "direct" -> "direct";
      default -> "flink " + runner;
    };
  }
}
