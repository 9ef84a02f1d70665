package dev.corpusforge.pipelines.cluster;

import java.nio.file.Path;
import java.util.List;

/**
 * A local Flink session cluster: where its state lives and how it is sized. All addresses are
 * 127.0.0.1; ports 0 mean "pick a free one".
 *
 * @param state the folder of its configuration, logs, PID files and temporary files
 * @param taskManagers TaskManager processes
 * @param slots task slots per TaskManager
 * @param restPort the JobManager's REST API and web UI
 * @param jobManagerMemory JobManager process size (Flink's {@code jobmanager.memory.process.size})
 * @param taskManagerMemory TaskManager process size ({@code taskmanager.memory.process.size})
 * @param restartAttempts restarts of a failed job before it fails (the cluster's default restart
 *     strategy, which Beam's batch jobs use: they bring none of their own)
 * @param restartDelaySeconds wait before each restart
 * @param jvmOptions options for every process's JVM besides the memory flags Flink derives (what
 *     Flink's scripts take from {@code env.java.opts.all}): system properties, GC flags, trust
 *     stores; given on the command line only, never written into the state folder
 */
public record ClusterSpec(
    Path state,
    int taskManagers,
    int slots,
    int restPort,
    int rpcPort,
    int blobPort,
    String jobManagerMemory,
    String taskManagerMemory,
    int restartAttempts,
    int restartDelaySeconds,
    List<String> jvmOptions) {
  public static final int DEFAULT_TASK_MANAGERS = 2;
  public static final int DEFAULT_SLOTS = 2;
  public static final int DEFAULT_REST_PORT = 8081;
  public static final int DEFAULT_RPC_PORT = 6123;
  public static final int DEFAULT_BLOB_PORT = 6124;
  public static final String DEFAULT_JOB_MANAGER_MEMORY = "1024m";
  public static final String DEFAULT_TASK_MANAGER_MEMORY = "6144m";
  public static final int DEFAULT_RESTART_ATTEMPTS = 6;
  public static final int DEFAULT_RESTART_DELAY_SECONDS = 5;

  public ClusterSpec {
    if (taskManagers < 1 || slots < 1) {
      throw new IllegalArgumentException("a cluster needs at least one TaskManager with one slot");
    }
    if (restartAttempts < 0 || restartDelaySeconds < 0) {
      throw new IllegalArgumentException(
          "--restart-attempts and --restart-delay-seconds must be ≥ 0");
    }
    jvmOptions = List.copyOf(jvmOptions);
  }

  /**
   * The options of {@code --jvm-options}: separated by white space, as Flink splits {@code
   * env.java.opts.all}.
   */
  public static List<String> jvmOptions(String line) {
    return line == null || line.isBlank() ? List.of() : List.of(line.strip().split("\\s+"));
  }

  Path conf() {
    return state.resolve("conf");
  }

  Path logs() {
    return state.resolve("log");
  }

  Path pids() {
    return state.resolve("pid");
  }

  Path tmp() {
    return state.resolve("tmp");
  }
}
