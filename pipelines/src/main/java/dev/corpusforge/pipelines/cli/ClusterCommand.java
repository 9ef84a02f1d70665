package dev.corpusforge.pipelines.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corpusforge.pipelines.cluster.ClusterSpec;
import dev.corpusforge.pipelines.cluster.LocalFlinkCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code forge cluster start|stop|status}: a Flink session cluster on this machine, each process
 * its own JVM.
 */
@Command(
    name = "cluster",
    mixinStandardHelpOptions = true,
    description =
        "Start, stop or inspect a local Flink 1.19 session cluster (JobManager + TaskManagers on 127.0.0.1).",
    subcommands = {
      ClusterCommand.Start.class,
      ClusterCommand.Stop.class,
      ClusterCommand.Status.class
    })
public final class ClusterCommand implements Runnable {
  @Override
  public void run() {
    new CommandLine(this).usage(Forge.OUT);
  }

  /** The state folder option every subcommand shares. */
  static final class StateOption {
    @Option(
        names = "--state",
        paramLabel = "DIR",
        description =
            "The cluster's configuration, logs, PID files and temporary files. Default: .forge/cluster in the corpusforge folder.")
    Path state;

    Path resolve() {
      return state != null
          ? state
          : Path.of(System.getProperty("corpusforge.home", ".")).resolve(".forge/cluster");
    }
  }

  @Command(
      name = "start",
      mixinStandardHelpOptions = true,
      description =
          "Start a JobManager and N TaskManagers; returns when every TaskManager has registered.")
  static final class Start implements Callable<Integer> {
    @CommandLine.Mixin StateOption state = new StateOption();

    @Option(
        names = "--taskmanagers",
        defaultValue = "" + ClusterSpec.DEFAULT_TASK_MANAGERS,
        description = "TaskManager processes. Default: ${DEFAULT-VALUE}.")
    int taskManagers;

    @Option(
        names = "--slots",
        defaultValue = "" + ClusterSpec.DEFAULT_SLOTS,
        description = "Task slots per TaskManager. Default: ${DEFAULT-VALUE}.")
    int slots;

    @Option(
        names = "--rest-port",
        defaultValue = "" + ClusterSpec.DEFAULT_REST_PORT,
        description = "REST API and web UI port; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
    int restPort;

    @Option(
        names = "--rpc-port",
        defaultValue = "" + ClusterSpec.DEFAULT_RPC_PORT,
        description = "JobManager RPC port; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
    int rpcPort;

    @Option(
        names = "--blob-port",
        defaultValue = "" + ClusterSpec.DEFAULT_BLOB_PORT,
        description = "Blob server port; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
    int blobPort;

    @Option(
        names = "--jobmanager-memory",
        defaultValue = ClusterSpec.DEFAULT_JOB_MANAGER_MEMORY,
        description = "JobManager process size. Default: ${DEFAULT-VALUE}.")
    String jobManagerMemory;

    @Option(
        names = "--taskmanager-memory",
        defaultValue = ClusterSpec.DEFAULT_TASK_MANAGER_MEMORY,
        description = "TaskManager process size. Default: ${DEFAULT-VALUE}.")
    String taskManagerMemory;

    @Option(
        names = "--restart-attempts",
        defaultValue = "" + ClusterSpec.DEFAULT_RESTART_ATTEMPTS,
        description =
            "Restarts of a failed job (a lost TaskManager, a failed task) before it fails; 0: none. Default: ${DEFAULT-VALUE}.")
    int restartAttempts;

    @Option(
        names = "--restart-delay-seconds",
        defaultValue = "" + ClusterSpec.DEFAULT_RESTART_DELAY_SECONDS,
        description = "Wait before each restart. Default: ${DEFAULT-VALUE}.")
    int restartDelaySeconds;

    @Option(
        names = "--jvm-options",
        paramLabel = "OPTIONS",
        description =
            "Options for every process's JVM, separated by spaces (Flink's env.java.opts.all), "
                + "e.g. \"-XX:+HeapDumpOnOutOfMemoryError -Djavax.net.ssl.trustStore=/etc/ts.jks\". Memory flags come from the sizes above. Default: none.")
    String jvmOptions;

    @Option(
        names = "--timeout-seconds",
        defaultValue = "180",
        description =
            "How long to wait for the TaskManagers to register. Default: ${DEFAULT-VALUE}.")
    int timeoutSeconds;

    @Override
    public Integer call() throws Exception {
      Path home = Path.of(System.getProperty("corpusforge.home", "."));
      Path classpath = home.resolve("deploy/flink/target/classpath.txt");
      if (!Files.exists(classpath)) {
        throw new IllegalArgumentException(
            "no Flink classpath at "
                + classpath
                + ": build the project first (mvn -DskipTests install, or any bin/forge command)");
      }
      ClusterSpec spec =
          new ClusterSpec(
              state.resolve().toAbsolutePath(),
              taskManagers,
              slots,
              restPort,
              rpcPort,
              blobPort,
              jobManagerMemory,
              taskManagerMemory,
              restartAttempts,
              restartDelaySeconds,
              ClusterSpec.jvmOptions(jvmOptions));
      String address =
          LocalFlinkCluster.start(
              spec,
              Files.readString(classpath, StandardCharsets.UTF_8).strip(),
              Duration.ofSeconds(timeoutSeconds),
              Forge.OUT);
      Forge.OUT.println(
          "cluster up: web UI http://"
              + address
              + "  submit with: --runner flink --flink-master "
              + address);
      return 0;
    }
  }

  @Command(
      name = "stop",
      mixinStandardHelpOptions = true,
      description = "Stop the cluster's processes (TaskManagers first).")
  static final class Stop implements Callable<Integer> {
    @CommandLine.Mixin StateOption state = new StateOption();

    @Override
    public Integer call() throws Exception {
      int n = LocalFlinkCluster.stop(state.resolve(), Duration.ofSeconds(30), Forge.OUT);
      Forge.OUT.println(
          n == 0 ? "no cluster running from " + state.resolve() : "stopped " + n + " process(es)");
      return 0;
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description =
          "Processes, TaskManagers, slots and jobs of the cluster; exit 0 when it is up, 3 when not.")
  static final class Status implements Callable<Integer> {
    @CommandLine.Mixin StateOption state = new StateOption();

    @Override
    public Integer call() throws Exception {
      LocalFlinkCluster.Status s = LocalFlinkCluster.status(state.resolve());
      if (s.processes().isEmpty()) {
        Forge.OUT.println("no cluster running from " + state.resolve());
        return 3;
      }
      Forge.OUT.println("processes: " + String.join(", ", s.processes()));
      JsonNode o = s.overview();
      if (o == null) {
        Forge.OUT.println("REST " + s.restAddress() + " does not answer (yet)");
        return 3;
      }
      Forge.OUT.printf(
          "REST and web UI http://%s  Flink %s  taskmanagers %d  slots %d (%d free)  jobs running %d, finished %d, cancelled %d, failed %d%n",
          s.restAddress(),
          o.path("flink-version").asText(),
          o.path("taskmanagers").asInt(),
          o.path("slots-total").asInt(),
          o.path("slots-available").asInt(),
          o.path("jobs-running").asInt(),
          o.path("jobs-finished").asInt(),
          o.path("jobs-cancelled").asInt(),
          o.path("jobs-failed").asInt());
      return 0;
    }
  }
}
