package dev.corpusforge.pipelines.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corpusforge.core.output.OutputLayout;
import dev.corpusforge.core.output.StatsLines;
import dev.corpusforge.pipelines.cluster.FlinkRest;
import dev.corpusforge.pipelines.cluster.LocalFlinkCluster;
import dev.corpusforge.pipelines.run.DetachedRun;
import dev.corpusforge.pipelines.run.RunDriver;
import dev.corpusforge.pipelines.run.RunFailure;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code forge jobs list|status|cancel}: the jobs of a Flink cluster, over its REST API. */
@Command(
    name = "jobs",
    mixinStandardHelpOptions = true,
    description = "List, inspect or cancel the jobs of a Flink cluster; finish detached runs.",
    subcommands = {
      JobsCommand.ListJobs.class,
      JobsCommand.Status.class,
      JobsCommand.Cancel.class,
      JobsCommand.Finish.class
    })
public final class JobsCommand implements Runnable {
  @Override
  public void run() {
    new CommandLine(this).usage(Forge.OUT);
  }

  /** Which cluster: {@code --flink-master}, else the local cluster of {@code --state}. */
  static final class Target {
    @Option(
        names = "--flink-master",
        paramLabel = "HOST:PORT",
        description =
            "The JobManager's REST address. Default: the local cluster's (forge cluster start).")
    String flinkMaster;

    @CommandLine.Mixin ClusterCommand.StateOption state = new ClusterCommand.StateOption();

    String address() throws IOException {
      if (flinkMaster != null) {
        return flinkMaster.replaceFirst("^https?://", "");
      }
      String local = LocalFlinkCluster.status(state.resolve()).restAddress();
      if (local == null) {
        throw new IllegalArgumentException(
            "no --flink-master given and no local cluster running from " + state.resolve());
      }
      return local;
    }
  }

  /** An unreachable cluster, said in one line with what to do (exit 1). */
  static RunFailure unreachable(FlinkRest.Unreachable e) {
    return new RunFailure(
        e.getMessage() + "; is the cluster running? (forge cluster status, forge cluster start)",
        e);
  }

  /** One job as list and status print it: id, state, name, start, duration. */
  static String line(JsonNode j) {
    return String.format(
        "%s  %-9s %s  started %s  %.1f s",
        j.path("jid").asText(),
        j.path("state").asText(),
        j.path("name").asText(),
        Instant.ofEpochMilli(j.path("start-time").asLong()),
        j.path("duration").asLong() / 1000.0);
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Every job the cluster knows: id, state, name, start, duration.")
  static final class ListJobs implements Callable<Integer> {
    @CommandLine.Mixin Target target = new Target();

    @Override
    public Integer call() throws Exception {
      try (FlinkRest rest = new FlinkRest(target.address())) {
        for (JsonNode j : rest.jobs().path("jobs")) {
          Forge.OUT.println(line(j));
        }
      } catch (FlinkRest.Unreachable e) {
        throw unreachable(e);
      }
      return 0;
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description =
          "One job's state; exit 0 when it finished, 1 when it failed or was cancelled, 4 while it runs.")
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
        } catch (FlinkRest.Unreachable e) {
          throw unreachable(e);
        } catch (IOException e) {
          throw new IllegalArgumentException("job " + id + ": " + e.getMessage());
        }
        String state = j.path("state").asText();
        Forge.OUT.println(line(j));
        return switch (state) {
          case "FINISHED" -> 0;
          case "FAILED", "CANCELED" -> 1;
          default -> 4;
        };
      }
    }
  }

  @Command(
      name = "cancel",
      mixinStandardHelpOptions = true,
      description = "Ask the cluster to cancel a job.")
  static final class Cancel implements Callable<Integer> {
    @CommandLine.Mixin Target target = new Target();

    @Parameters(paramLabel = "JOB_ID", description = "The Flink job id (forge jobs list).")
    String id;

    @Override
    public Integer call() throws Exception {
      try (FlinkRest rest = new FlinkRest(target.address())) {
        try {
          rest.cancel(id);
        } catch (FlinkRest.Unreachable e) {
          throw unreachable(e);
        } catch (IOException e) {
          throw new IllegalArgumentException(e.getMessage());
        }
      }
      Forge.OUT.println("cancel requested for job " + id);
      return 0;
    }
  }

  @Command(
      name = "finish",
      mixinStandardHelpOptions = true,
      description = {
        "Complete a run submitted with --detached: wait for its Flink job, then check the accounting and write manifest.json, report.html and _SUCCESS.",
        "Exit 0 when the run is complete and balanced, 1 when the job failed or was cancelled or the accounting does not hold, 4 with --no-wait while the job runs."
      })
  static final class Finish implements Callable<Integer> {
    @Parameters(paramLabel = "OUTPUT", description = "The --output of the detached run.")
    String output;

    @Option(
        names = "--flink-master",
        paramLabel = "HOST:PORT",
        description = "The JobManager's REST address. Default: the one the run was submitted to.")
    String flinkMaster;

    @Option(names = "--no-wait", description = "Do not wait: exit 4 at once if the job still runs.")
    boolean noWait;

    @Option(
        names = "--poll-seconds",
        defaultValue = "5",
        description = "Seconds between looks at the job's state. Default: ${DEFAULT-VALUE}.")
    int pollSeconds;

    @CommandLine.Mixin S3Options s3 = new S3Options();

    @Override
    public Integer call() throws Exception {
      s3.applyToFileSystems();
      DetachedRun run = DetachedRun.read(output);
      String master =
          flinkMaster != null ? flinkMaster.replaceFirst("^https?://", "") : run.flinkMaster();
      JsonNode job;
      Instant lastLine = Instant.EPOCH;
      int unanswered = 0;
      try (FlinkRest rest = new FlinkRest(master)) {
        while (true) {
          try {
            job = rest.job(run.jobId());
            unanswered = 0;
          } catch (FlinkRest.Unreachable e) {
            if (++unanswered < 3) {
              // a JobManager busy or restarting for a moment is not yet a lost one
              Thread.sleep(Math.max(1, pollSeconds) * 1000L);
              continue;
            }
            throw new RunFailure(
                e.getMessage()
                    + ": job "
                    + run.jobId()
                    + " is lost with its JobManager; "
                    + output
                    + " stays incomplete (no _SUCCESS, _run/ kept); start the cluster again (forge cluster start), then run it again with --resume (or --overwrite to start over)",
                e);
          } catch (FlinkRest.NotFound e) {
            throw new RunFailure(
                "the cluster at "
                    + master
                    + " does not know job "
                    + run.jobId()
                    + " (its JobManager was restarted, which loses the jobs it ran); "
                    + output
                    + " stays incomplete (no _SUCCESS, _run/ kept); run it again with --resume (or --overwrite to start over)",
                e);
          }
          String state = job.path("state").asText();
          if (List.of("FINISHED", "FAILED", "CANCELED").contains(state)) {
            break;
          }
          if (noWait) {
            Forge.OUT.println("job " + run.jobId() + " is " + state);
            return 4;
          }
          if (Duration.between(lastLine, Instant.now()).toSeconds() >= 30) {
            Forge.OUT.printf(
                "job %s is %s (%.0f s so far)%n",
                run.jobId(), state, job.path("duration").asLong() / 1000.0);
            lastLine = Instant.now();
          }
          Thread.sleep(Math.max(1, pollSeconds) * 1000L);
        }
      }
      String state = job.path("state").asText();
      if (!state.equals("FINISHED")) {
        System.err.println(
            "error: job "
                + run.jobId()
                + " ended "
                + state
                + "; "
                + output
                + " stays incomplete (no _SUCCESS); see the cluster's logs, then run it again with --resume (what its cache holds is reused) or --overwrite");
        return 1;
      }
      ObjectNode metrics = StatsLines.JSON.createObjectNode();
      metrics
          .put("flink_job_id", run.jobId())
          .put("flink_job_duration_ms", job.path("duration").asLong());
      RunDriver.Result result =
          RunDriver.complete(new OutputLayout(output), run.manifestHead(), metrics);
      return Forge.report(result);
    }
  }
}
