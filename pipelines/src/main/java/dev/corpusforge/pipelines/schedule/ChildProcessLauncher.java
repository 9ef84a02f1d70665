package dev.corpusforge.pipelines.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corpusforge.pipelines.cluster.LocalFlinkCluster;
import dev.corpusforge.pipelines.run.RunDriver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs each scheduled run as {@code forge run …} in a JVM of its own, so a long-lived scheduler
 * never accumulates what runs leave behind (class metadata, threads, native memory) and one run's
 * crash cannot take the scheduler down. Exit 0 and a manifest make a succeeded run.
 */
public final class ChildProcessLauncher implements RunLauncher {
  private static final String MAIN = "dev.corpusforge.pipelines.cli.Forge";
  private final List<String> s3Args;
  private final Path clusterState;

  /**
   * @param s3Args the scheduler's S3 options, given to every run
   * @param clusterState the local cluster's state folder, for jobs whose runner is {@code cluster}
   */
  public ChildProcessLauncher(List<String> s3Args, Path clusterState) {
    this.s3Args = List.copyOf(s3Args);
    this.clusterState = clusterState;
  }

  @Override
  public Ending launch(ScheduledJob job, List<String> inputFiles, String runOutput, Path log)
      throws InterruptedException {
    String master = null;
    if (job.runner().equals("cluster")) {
      try {
        master = LocalFlinkCluster.status(clusterState).restAddress();
      } catch (IOException e) {
        master = null;
      }
      if (master == null) {
        return Ending.failed(
            "runner 'cluster': no local Flink cluster running from "
                + clusterState
                + " (forge cluster start)");
      }
    } else if (!job.runner().equals("embedded") && !job.runner().equals("direct")) {
      master = job.runner();
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(job.jvmOptions());
    command.addAll(inheritedJvmOptions(job.jvmOptions()));
    command.add("-Djava.awt.headless=true");
    command.add("-Dai.djl.offline=true");
    if (System.getProperty("corpusforge.home") != null) {
      command.add("-Dcorpusforge.home=" + System.getProperty("corpusforge.home"));
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(MAIN);
    command.addAll(job.forgeArgs(inputFiles, runOutput, master, s3Args));
    Process process;
    try {
      Files.createDirectories(log.getParent());
      Files.writeString(
          log,
          "$ forge "
              + String.join(" ", command.subList(command.indexOf(MAIN) + 1, command.size()))
              + "\n",
          StandardCharsets.UTF_8);
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      passCredentials(builder.environment());
      process = builder.start();
    } catch (IOException e) {
      return Ending.failed("cannot start the run: " + e.getMessage());
    }
    try {
      if (job.timeoutMinutes() == 0) {
        process.waitFor();
      } else if (!process.waitFor(
          Math.round(job.timeoutMinutes() * 60_000), TimeUnit.MILLISECONDS)) {
        stop(process);
        return Ending.failed(
            "stopped after the job's timeout of "
                + java.math.BigDecimal.valueOf(job.timeoutMinutes())
                    .stripTrailingZeros()
                    .toPlainString()
                + " min; log "
                + log);
      }
    } catch (InterruptedException e) {
      stop(process);
      throw e;
    }
    int exit = process.exitValue();
    if (exit != 0) {
      return Ending.failed("exit " + exit + ": " + lastError(log) + "; log " + log);
    }
    try {
      JsonNode counts = RunDriver.readManifest(runOutput).path("counts");
      return new Ending(
          true,
          counts.path("inputs").asLong(),
          counts.path("kept").asLong(),
          counts.path("rejected").asLong(),
          null);
    } catch (IOException | RuntimeException e) {
      return Ending.failed("the run exited 0 but its manifest cannot be read: " + e.getMessage());
    }
  }

  /**
   * Credentials the scheduler found as system properties (part of the default AWS chain) reach the
   * runs through their environment, the chain's first link, and not on a command line {@code ps}
   * shows.
   */
  static void passCredentials(java.util.Map<String, String> env) {
    String[][] pairs = {
      {"aws.accessKeyId", "AWS_ACCESS_KEY_ID"},
      {"aws.secretAccessKey", "AWS_SECRET_ACCESS_KEY"},
      {"aws.sessionToken", "AWS_SESSION_TOKEN"},
      {"aws.region", "AWS_REGION"}
    };
    for (String[] p : pairs) {
      String value = System.getProperty(p[0]);
      if (value != null && !env.containsKey(p[1])) {
        env.put(p[1], value);
      }
    }
  }

  private static void stop(Process process) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }

  /** The run's last {@code error:} line, else its last line. */
  static String lastError(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      for (int i = lines.size() - 1; i >= 0; i--) {
        if (lines.get(i).startsWith("error: ")) {
          return lines.get(i).substring("error: ".length());
        }
      }
      return lines.isEmpty() ? "no output" : lines.get(lines.size() - 1);
    } catch (IOException | RuntimeException e) {
      return "log unreadable";
    }
  }

  /**
   * The options that choose a garbage collector (not those that tune one, e.g. -XX:+Use…SystemGC).
   */
  private static final java.util.regex.Pattern COLLECTOR =
      java.util.regex.Pattern.compile("-XX:\\+Use(Serial|Parallel|G1|Z|Shenandoah|Epsilon)GC");

  private static boolean namesCollector(String option) {
    return COLLECTOR.matcher(option).matches();
  }

  /**
   * What a run's JVM takes over from this one, as bin/forge set it up: the class-data archive, and
   * the heap and the garbage collector unless the job names its own.
   */
  static List<String> inheritedJvmOptions(List<String> jobOptions) {
    boolean ownHeap = jobOptions.stream().anyMatch(o -> o.startsWith("-Xmx"));
    boolean ownCollector = jobOptions.stream().anyMatch(ChildProcessLauncher::namesCollector);
    List<String> inherited = new ArrayList<>();
    for (String option :
        java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (option.startsWith("-XX:SharedArchiveFile=")
          || option.startsWith("-Xlog:cds")
          || (!ownHeap && option.startsWith("-Xmx"))
          || (!ownCollector && namesCollector(option))) {
        inherited.add(option);
      }
    }
    return inherited;
  }
}
