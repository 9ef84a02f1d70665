package dev.corpusforge.pipelines.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corpusforge.pipelines.cluster.FlinkRest;
import dev.corpusforge.pipelines.cluster.LocalFlinkCluster;
import java.io.IOException;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code forge jobs list|status|cancel}: the jobs of a Flink cluster, over its REST API. */
@Command(name = "jobs", mixinStandardHelpOptions = true, description = "List, inspect or cancel the jobs of a Flink cluster.",
    subcommands = {JobsCommand.ListJobs.class, JobsCommand.Status.class, JobsCommand.Cancel.class})
public final class JobsCommand implements Runnable {
  @Override
  public void run() {
    new CommandLine(this).usage(Forge.OUT);
  }

  /** Which cluster: {@code --flink-master}, else the local cluster of {@code --state}. */
  static final class Target {
    @Option(names = "--flink-master", paramLabel = "HOST:PORT", description = "The JobManager's REST address. Default: the local cluster's (forge cluster start).")
    String flinkMaster;

    @CommandLine.Mixin ClusterCommand.StateOption state = new ClusterCommand.StateOption();

    String address() throws IOException {
      if (flinkMaster != null) {
        return flinkMaster.replaceFirst("^https?://", "");
      }
      String local = LocalFlinkCluster.status(state.resolve()).restAddress();
      if (local == null) {
        throw new IllegalArgumentException("no --flink-master given and no local cluster running from " + state.resolve());
      }
      return local;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Every job the cluster knows: id, state, name, start, duration.")
  static final class ListJobs implements Callable<Integer> {
    @CommandLine.Mixin Target target = new Target();

    @Override
    public Integer call() throws Exception {
      try (FlinkRest rest = new FlinkRest(target.address())) {
        for (JsonNode j : rest.jobs().path("jobs")) {
          Forge.OUT.printf("%s  %-9s %s  started %s  %.1f s%n", j.path("jid").asText(), j.path("state").asText(), j.path("name").asText(),
              Instant.ofEpochMilli(j.path("start-time").asLong()), j.path("duration").asLong() / 1000.0);
        }
      }
      return 0;
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true, description = "One job's state; exit 0 when it finished, 1 when it failed or was cancelled, 4 while it runs.")
  static final class Status implements Callable<Integer> {
    @CommandLine.Mixin Target target = new Target();

    @Parameters(paramLabel = "JOB_ID", description = "The Flink job id (forge jobs list).")
    String id;

    @Override
    public Integer call() throws Exception {
      try (FlinkRest rest = new FlinkRest(target.address())) {
        JsonNode j;
        try {
          j = rest.job(id);
        } catch (IOException e) {
          throw new IllegalArgumentException("job " + id + ": " + e.getMessage());
        }
        String state = j.path("state").asText();
        Forge.OUT.printf("%s  %s  %s  started %s  %.1f s%n", j.path("jid").asText(), state, j.path("name").asText(),
            Instant.ofEpochMilli(j.path("start-time").asLong()), j.path("duration").asLong() / 1000.0);
        return switch (state) {
          case "FINISHED" -> 0;
          case "FAILED", "CANCELED" -> 1;
          default -> 4;
        };
      }
    }
  }

  @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Ask the cluster to cancel a job.")
  static final class Cancel implements Callable<Integer> {
    @CommandLine.Mixin Target target = new Target();

    @Parameters(paramLabel = "JOB_ID", description = "The Flink job id (forge jobs list).")
    String id;

    @Override
    public Integer call() throws Exception {
      try (FlinkRest rest = new FlinkRest(target.address())) {
        try {
          rest.cancel(id);
        } catch (IOException e) {
          throw new IllegalArgumentException(e.getMessage());
        }
      }
      Forge.OUT.println("cancel requested for job " + id);
      return 0;
    }
  }
}
