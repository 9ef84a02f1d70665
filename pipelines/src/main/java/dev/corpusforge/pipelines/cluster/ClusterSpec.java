package dev.corpusforge.pipelines.cluster;

import java.nio.file.Path;

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
 */
public record ClusterSpec(Path state, int taskManagers, int slots, int restPort, int rpcPort, int blobPort, String jobManagerMemory,
    String taskManagerMemory) {
  public static final int DEFAULT_TASK_MANAGERS = 2;
  public static final int DEFAULT_SLOTS = 2;
  public static final int DEFAULT_REST_PORT = 8081;
  public static final int DEFAULT_RPC_PORT = 6123;
  public static final int DEFAULT_BLOB_PORT = 6124;
  public static final String DEFAULT_JOB_MANAGER_MEMORY = "1024m";
  public static final String DEFAULT_TASK_MANAGER_MEMORY = "4096m";

  public ClusterSpec {
    if (taskManagers < 1 || slots < 1) {
      throw new IllegalArgumentException("a cluster needs at least one TaskManager with one slot");
    }
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
