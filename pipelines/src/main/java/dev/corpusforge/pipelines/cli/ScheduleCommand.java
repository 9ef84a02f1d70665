package dev.corpusforge.pipelines.cli;

import dev.corpusforge.pipelines.schedule.ChildProcessLauncher;
import dev.corpusforge.pipelines.schedule.ForgeScheduler;
import dev.corpusforge.pipelines.schedule.JobsFile;
import dev.corpusforge.pipelines.schedule.RunLedger;
import dev.corpusforge.pipelines.schedule.ScheduledJob;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code forge schedule}: runs the jobs of a jobs file on their cron expressions, until stopped.
 */
@Command(
    name = "schedule",
    mixinStandardHelpOptions = true,
    description = {
      "Run pipelines on cron schedules, each run taking only the input files no succeeded run has taken and writing OUTPUT/run=<run_id>/.",
      "Schedules and run history live in the state folder and survive restarts. Stop with Ctrl-C; --list shows the schedule."
    })
public final class ScheduleCommand implements Callable<Integer> {
  @Option(
      names = "--jobs",
      paramLabel = "FILE",
      description = "The jobs file (YAML): see the README's schedule section.")
  Path jobsFile;

  @Option(
      names = "--list",
      description =
          "Show the scheduled jobs with their last and next fire times and last run, then exit.")
  boolean list;

  @CommandLine.Mixin StateDir state = new StateDir();

  @Option(
      names = "--misfire-threshold-seconds",
      defaultValue = "60",
      description =
          "A fire time this late counts as missed (fired once at start, not once per miss). Default: ${DEFAULT-VALUE}.")
  long misfireThresholdSeconds;

  @CommandLine.Mixin S3Options s3 = new S3Options();

  /** The schedule's state folder, shared with {@code forge runs}. */
  static final class StateDir {
    @Option(
        names = "--state",
        paramLabel = "DIR",
        description =
            "The schedule's database (jobs, triggers, run ledger) and run logs. Default: .forge/schedule in the corpusforge folder.")
    Path state;

    Path resolve() {
      return state != null
          ? state
          : Path.of(System.getProperty("corpusforge.home", ".")).resolve(".forge/schedule");
    }
  }

  @Override
  public Integer call() throws Exception {
    if (list) {
      return list();
    }
    if (jobsFile == null) {
      throw new IllegalArgumentException("--jobs FILE is required (or --list)");
    }
    List<ScheduledJob> jobs = JobsFile.read(jobsFile);
    s3.applyToFileSystems();
    Path clusterState = new ClusterCommand.StateOption().resolve();
    ForgeScheduler scheduler =
        ForgeScheduler.open(
            state.resolve(),
            new ChildProcessLauncher(s3.forgeArgs(), clusterState),
            misfireThresholdSeconds * 1000,
            Forge.OUT);
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              Forge.OUT.println(
                  "forge schedule: stopping (runs in progress are stopped and failed in the ledger; their inputs stay eligible)");
              try {
                scheduler.close();
              } catch (Exception e) {
                System.err.println("error: stopping the schedule: " + e.getMessage());
              }
              stopped.countDown();
            },
            "forge-schedule-stop");
    try {
      for (String change : scheduler.sync(jobs)) {
        Forge.OUT.println("forge schedule: " + change);
      }
      int interrupted = scheduler.start();
      if (interrupted > 0) {
        Forge.OUT.println(
            "forge schedule: "
                + interrupted
                + " run(s) the last scheduler left unfinished are marked failed; their inputs are taken again");
      }
    } catch (Exception e) {
      scheduler.close();
      throw e;
    }
    Runtime.getRuntime().addShutdownHook(hook);
    Forge.OUT.println(
        "forge schedule: "
            + jobs.size()
            + " job(s) from "
            + jobsFile
            + ", state "
            + state.resolve()
            + "; Ctrl-C stops");
    printJobs(scheduler);
    stopped.await();
    return 0;
  }

  private int list() throws Exception {
    ForgeScheduler scheduler =
        ForgeScheduler.open(
            state.resolve(),
            (job, files, out, log) -> {
              throw new IllegalStateException("a listing runs nothing");
            },
            misfireThresholdSeconds * 1000,
            Forge.OUT);
    try {
      if (scheduler.jobs().isEmpty()) {
        Forge.OUT.println("no jobs scheduled in " + state.resolve());
        return 0;
      }
      printJobs(scheduler);
    } finally {
      scheduler.close();
    }
    return 0;
  }

  private static void printJobs(ForgeScheduler scheduler) throws Exception {
    for (ForgeScheduler.JobView j : scheduler.jobs()) {
      List<RunLedger.Run> runs = scheduler.ledger().runs(j.name());
      String last =
          runs.isEmpty()
              ? "no runs yet"
              : "last run "
                  + runs.get(runs.size() - 1).runId()
                  + " "
                  + runs.get(runs.size() - 1).status();
      Forge.OUT.printf(
          "%-20s %-13s cron '%s' %s  previous %s  next %s  runner %s%n    %s → %s  (%d runs; %s)%n",
          j.name(),
          j.pipeline(),
          j.cron(),
          j.timeZone(),
          j.previousFire() == null ? "-" : j.previousFire(),
          j.nextFire() == null ? "-" : j.nextFire(),
          ScheduledJob.describe(j.runner()),
          j.input(),
          j.output(),
          runs.size(),
          last);
    }
  }
}
