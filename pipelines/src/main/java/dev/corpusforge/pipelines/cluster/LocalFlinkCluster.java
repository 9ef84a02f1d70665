package dev.corpusforge.pipelines.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A Flink session cluster on this machine: one JobManager (REST API and web UI) and N TaskManagers,
 * each a separate JVM on 127.0.0.1 started from Flink's Maven jars ({@code deploy/flink}), with its
 * configuration, logs, PID files and temporary files in a state folder. {@link #start} returns once
 * every TaskManager has registered; {@link #stop} ends the processes its PID files name (and only
 * Flink processes).
 */
public final class LocalFlinkCluster {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String CLUSTER_FILE = "cluster.json";

  private LocalFlinkCluster() {}

  /** What {@code forge cluster status} reports. */
  public record Status(
      boolean running, String restAddress, List<String> processes, JsonNode overview) {}

  public static String start(
      ClusterSpec spec, String flinkClasspath, Duration timeout, PrintStream out)
      throws IOException, InterruptedException {
    Status current = status(spec.state());
    if (!current.processes().isEmpty()) {
      throw new IllegalArgumentException(
          "a cluster from "
              + spec.state()
              + " is running ("
              + String.join(", ", current.processes())
              + "); stop it first: forge cluster stop --state "
              + spec.state());
    }
    for (Path dir : List.of(spec.conf(), spec.logs(), spec.pids(), spec.tmp())) {
      Files.createDirectories(dir);
    }
    int[] free = freePorts(3);
    int rest = spec.restPort() == 0 ? free[0] : spec.restPort();
    int rpc = spec.rpcPort() == 0 ? free[1] : spec.rpcPort();
    int blob = spec.blobPort() == 0 ? free[2] : spec.blobPort();
    Files.writeString(
        spec.conf().resolve("flink-conf.yaml"),
        FlinkConfig.yaml(spec, rest, rpc, blob),
        StandardCharsets.UTF_8);
    FlinkProcesses processes = new FlinkProcesses(flinkClasspath, spec.jvmOptions());
    Process jobManager =
        processes.start(
            FlinkProcesses.JOB_MANAGER_CLASS,
            spec.conf(),
            processes.resourceParams("GET_JM_RESOURCE_PARAMS", spec.conf()),
            List.of("--executionMode", "cluster"),
            spec.logs().resolve("jobmanager.log"),
            spec.tmp());
    writePid(spec, "jobmanager", jobManager.pid());
    List<List<String>> tmResources =
        processes.resourceParams("GET_TM_RESOURCE_PARAMS", spec.conf());
    for (int i = 1; i <= spec.taskManagers(); i++) {
      Process tm =
          processes.start(
              FlinkProcesses.TASK_MANAGER_CLASS,
              spec.conf(),
              tmResources,
              List.of("-D", "taskmanager.resource-id=taskmanager-" + i),
              spec.logs().resolve("taskmanager-" + i + ".log"),
              spec.tmp());
      writePid(spec, "taskmanager-" + i, tm.pid());
    }
    String address = "127.0.0.1:" + rest;
    ObjectNode cluster =
        JSON.createObjectNode()
            .put("rest", address)
            .put("taskmanagers", spec.taskManagers())
            .put("slots_per_taskmanager", spec.slots())
            .put("started_at", Instant.now().toString());
    Files.writeString(
        spec.state().resolve(CLUSTER_FILE),
        JSON.writerWithDefaultPrettyPrinter().writeValueAsString(cluster),
        StandardCharsets.UTF_8);
    out.println(
        "starting Flink: JobManager "
            + address
            + ", "
            + spec.taskManagers()
            + " TaskManager(s) × "
            + spec.slots()
            + " slots; logs in "
            + spec.logs());
    awaitTaskManagers(spec, address, timeout);
    return address;
  }

  private static void awaitTaskManagers(ClusterSpec spec, String address, Duration timeout)
      throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    try (FlinkRest rest = new FlinkRest(address)) {
      while (Instant.now().isBefore(deadline)) {
        for (String name : pidNames(spec.state())) {
          if (process(spec.state(), name).isEmpty()) {
            String log =
                Files.readString(spec.logs().resolve(name + ".log"), StandardCharsets.UTF_8);
            stop(
                spec.state(),
                Duration.ofSeconds(10),
                new PrintStream(java.io.OutputStream.nullOutputStream()));
            throw new IOException(
                name
                    + " exited while the cluster started; its log ends:\n"
                    + FlinkProcesses.tail(log, 3000));
          }
        }
        JsonNode overview = rest.overview();
        if (overview != null && overview.path("taskmanagers").asInt() >= spec.taskManagers()) {
          return;
        }
        Thread.sleep(500);
      }
    }
    stop(
        spec.state(),
        Duration.ofSeconds(10),
        new PrintStream(java.io.OutputStream.nullOutputStream()));
    throw new IOException(
        "the cluster did not register "
            + spec.taskManagers()
            + " TaskManager(s) within "
            + timeout.toSeconds()
            + " s; logs in "
            + spec.logs());
  }

  public static Status status(Path state) throws IOException {
    List<String> alive = new ArrayList<>();
    for (String name : pidNames(state)) {
      process(state, name).ifPresent(p -> alive.add(name + " (pid " + p.pid() + ")"));
    }
    Path file = state.resolve(CLUSTER_FILE);
    String address =
        Files.exists(file) ? JSON.readTree(file.toFile()).path("rest").asText(null) : null;
    JsonNode overview = null;
    if (address != null && !alive.isEmpty()) {
      try (FlinkRest rest = new FlinkRest(address)) {
        overview = rest.overview();
      }
    }
    return new Status(!alive.isEmpty() && overview != null, address, alive, overview);
  }

  /**
   * Ends the cluster's processes: TaskManagers first, SIGTERM, then SIGKILL after {@code grace};
   * returns how many were running.
   */
  public static int stop(Path state, Duration grace, PrintStream out)
      throws IOException, InterruptedException {
    List<String> names = new ArrayList<>(pidNames(state));
    names.sort((a, b) -> a.equals("jobmanager") ? 1 : b.equals("jobmanager") ? -1 : a.compareTo(b));
    int stopped = 0;
    for (String name : names) {
      Optional<ProcessHandle> p = process(state, name);
      if (p.isPresent()) {
        out.println("stopping " + name + " (pid " + p.get().pid() + ")");
        p.get().destroy();
        try {
          p.get().onExit().get(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException
            | java.util.concurrent.ExecutionException e) {
          p.get().destroyForcibly();
          p.get().onExit().join();
        }
        stopped++;
      }
      Files.deleteIfExists(state.resolve("pid").resolve(name + ".pid"));
    }
    Files.deleteIfExists(state.resolve(CLUSTER_FILE));
    return stopped;
  }

  /**
   * The live Flink process a PID file names; empty when it has exited or the PID now belongs to
   * something else.
   */
  static Optional<ProcessHandle> process(Path state, String name) throws IOException {
    Path file = state.resolve("pid").resolve(name + ".pid");
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    long pid;
    try {
      pid = Long.parseLong(Files.readString(file).strip());
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(LocalFlinkCluster::isFlink);
  }

  /**
   * Whether a process runs a Flink entry point: its full command line from /proc (Java's own view
   * of it may be cut short), else a java process.
   */
  static boolean isFlink(ProcessHandle p) {
    Path cmdline = Path.of("/proc", Long.toString(p.pid()), "cmdline");
    try {
      String c = new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8);
      return c.contains(FlinkProcesses.JOB_MANAGER_CLASS)
          || c.contains(FlinkProcesses.TASK_MANAGER_CLASS);
    } catch (IOException e) {
      return p.info().command().map(c -> c.endsWith("java")).orElse(false);
    }
  }

  static List<String> pidNames(Path state) throws IOException {
    Path dir = state.resolve("pid");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(n -> n.endsWith(".pid"))
          .map(n -> n.substring(0, n.length() - 4))
          .sorted()
          .toList();
    }
  }

  private static void writePid(ClusterSpec spec, String name, long pid) throws IOException {
    Files.writeString(spec.pids().resolve(name + ".pid"), pid + "\n", StandardCharsets.UTF_8);
  }

  /**
   * {@code n} distinct free ports on 127.0.0.1 (all held open while chosen, so none is handed out
   * twice).
   */
  static int[] freePorts(int n) throws IOException {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      int[] ports = new int[n];
      for (int i = 0; i < n; i++) {
        ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        sockets.add(s);
        ports[i] = s.getLocalPort();
      }
      return ports;
    } finally {
      for (ServerSocket s : sockets) {
        s.close();
      }
    }
  }
}
