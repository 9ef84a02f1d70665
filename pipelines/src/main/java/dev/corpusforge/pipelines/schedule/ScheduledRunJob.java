package dev.corpusforge.pipelines.schedule;

import static org.quartz.SimpleScheduleBuilder.simpleSchedule;

import java.sql.SQLException;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.InterruptableJob;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;

/**
 * What Quartz fires: one {@link IncrementalRun} of the job in the fired trigger's job data. Never
 * two at once for one job ({@link DisallowConcurrentExecution}: a firing that comes while a run
 * goes waits for it). A failed run schedules a retry {@code retry-backoff-seconds × 2^(attempt−1)}
 * later, up to {@code retries} times; any run that took files replaces the retries still pending,
 * since it took their files too.
 */
@DisallowConcurrentExecution
public final class ScheduledRunJob implements InterruptableJob {
  static final String DEFINITION = "definition";
  static final String ATTEMPT = "attempt";
  private volatile Thread worker;

  @Override
  public void execute(JobExecutionContext context) throws JobExecutionException {
    worker = Thread.currentThread();
    ForgeScheduler.Runtime runtime;
    ScheduledJob job;
    try {
      runtime =
          (ForgeScheduler.Runtime) context.getScheduler().getContext().get(ForgeScheduler.RUNTIME);
      job =
          ForgeScheduler.JSON.readValue(
              context.getJobDetail().getJobDataMap().getString(DEFINITION), ScheduledJob.class);
    } catch (Exception e) {
      throw new JobExecutionException(
          "cannot read the job's definition: " + e.getMessage(), e, false);
    }
    String attemptText = context.getMergedJobDataMap().getString(ATTEMPT);
    int attempt = attemptText == null ? 0 : Integer.parseInt(attemptText);
    IncrementalRun.Outcome outcome;
    try {
      outcome = runtime.runs().run(job);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      runtime.log(job.name() + ": interrupted");
      return;
    } catch (SQLException e) {
      throw new JobExecutionException("ledger: " + e.getMessage(), e, false);
    } finally {
      worker = null;
    }
    runtime.log(describe(job, outcome, attempt));
    if (outcome.runId() != null) {
      // this run took every eligible file: a retry still pending from an earlier failure has
      // nothing left to do
      cancelPendingRetries(context);
    }
    if (outcome.failed() && attempt < job.retries()) {
      long delay = job.retryBackoffSeconds() * (1L << Math.min(attempt, 20));
      Trigger retry =
          TriggerBuilder.newTrigger()
              .withIdentity(
                  job.name()
                      + "-retry-"
                      + (attempt + 1)
                      + "-"
                      + UUID.randomUUID().toString().substring(0, 8),
                  ForgeScheduler.RETRY_GROUP)
              .forJob(context.getJobDetail().getKey())
              .usingJobData(ATTEMPT, Integer.toString(attempt + 1))
              .startAt(Date.from(Instant.now().plusSeconds(delay)))
              .withSchedule(simpleSchedule().withMisfireHandlingInstructionFireNow())
              .build();
      try {
        context.getScheduler().scheduleJob(retry);
        runtime.log(
            job.name()
                + ": retry "
                + (attempt + 1)
                + " of "
                + job.retries()
                + " in "
                + delay
                + " s");
      } catch (SchedulerException e) {
        throw new JobExecutionException("cannot schedule the retry: " + e.getMessage(), e, false);
      }
    }
  }

  private static void cancelPendingRetries(JobExecutionContext context)
      throws JobExecutionException {
    try {
      Scheduler scheduler = context.getScheduler();
      for (Trigger t : scheduler.getTriggersOfJob(context.getJobDetail().getKey())) {
        if (t.getKey().getGroup().equals(ForgeScheduler.RETRY_GROUP)
            && !t.getKey().equals(context.getTrigger().getKey())) {
          scheduler.unscheduleJob(t.getKey());
        }
      }
    } catch (SchedulerException e) {
      throw new JobExecutionException("cannot cancel pending retries: " + e.getMessage(), e, false);
    }
  }

  static String describe(ScheduledJob job, IncrementalRun.Outcome o, int attempt) {
    String retry = attempt > 0 ? " (retry " + attempt + ")" : "";
    if (o.runId() == null) {
      return job.name() + ": no new input files" + retry;
    }
    RunLauncher.Ending e = o.ending();
    return o.failed()
        ? String.format(
            "%s: run %s failed%s on %d files: %s",
            job.name(), o.runId(), retry, o.files(), e.message())
        : String.format(
            "%s: run %s succeeded%s on %d files: kept %d, rejected %d → %s",
            job.name(),
            o.runId(),
            retry,
            o.files(),
            e.kept(),
            e.rejected(),
            job.runOutput(o.runId()));
  }

  @Override
  public void interrupt() {
    Thread t = worker;
    if (t != null) {
      t.interrupt();
    }
  }
}
