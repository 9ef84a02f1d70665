package dev.corpusforge.pipelines.schedule;

import static org.quartz.CronScheduleBuilder.cronSchedule;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TimeZone;
import org.quartz.CronTrigger;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.impl.matchers.GroupMatcher;

/**
 * A schedule: Quartz with its JDBC job store in the H2 database of the state folder, next to the
 * {@link RunLedger}. Jobs, triggers and their last and next fire times survive restarts; a trigger
 * whose fire times passed while the scheduler was down fires once when it starts (not once per
 * missed time), and a run that a stopped scheduler left unfinished is failed in the ledger and
 * redone.
 */
public final class ForgeScheduler implements AutoCloseable {
  static final String GROUP = "corpusforge";
  static final String RETRY_GROUP = "corpusforge-retries";
  static final String RUNTIME = "corpusforge.runtime";
  static final ObjectMapper JSON = new ObjectMapper();
  public static final long DEFAULT_MISFIRE_THRESHOLD_MILLIS = 60_000;

  /** What a firing needs that cannot live in the store: the ledger's runs and the console. */
  record Runtime(IncrementalRun runs, PrintStream console) {
    void log(String line) {
      console.println(Instant.now().toString().substring(0, 19) + "Z " + line);
    }
  }

  /** A job as the store holds it now. */
  public record JobView(
      String name,
      String pipeline,
      String cron,
      String timeZone,
      Instant previousFire,
      Instant nextFire,
      String runner,
      String input,
      String output) {}

  private final Scheduler scheduler;
  private final RunLedger ledger;

  private ForgeScheduler(Scheduler scheduler, RunLedger ledger) {
    this.scheduler = scheduler;
    this.ledger = ledger;
  }

  /**
   * Opens the schedule in {@code state} (created when new) without starting it.
   *
   * @param misfireThresholdMillis how late a fire time may be before it counts as missed
   */
  public static ForgeScheduler open(
      Path state, RunLauncher launcher, long misfireThresholdMillis, PrintStream console)
      throws IOException, SQLException, SchedulerException {
    Files.createDirectories(state);
    RunLedger ledger = RunLedger.open(state);
    try {
      QuartzTables.ensure(RunLedger.url(state));
      Properties p = new Properties();
      p.setProperty("org.quartz.scheduler.instanceName", "corpusforge");
      p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
      p.setProperty("org.quartz.threadPool.threadCount", "4");
      p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
      p.setProperty(
          "org.quartz.jobStore.driverDelegateClass",
          "org.quartz.impl.jdbcjobstore.StdJDBCDelegate");
      p.setProperty("org.quartz.jobStore.dataSource", "forge");
      p.setProperty("org.quartz.jobStore.useProperties", "true");
      p.setProperty("org.quartz.jobStore.misfireThreshold", Long.toString(misfireThresholdMillis));
      p.setProperty(
          "org.quartz.dataSource.forge.connectionProvider.class",
          H2ConnectionProvider.class.getName());
      p.setProperty("org.quartz.dataSource.forge.url", RunLedger.url(state));
      Scheduler scheduler = new StdSchedulerFactory(p).getScheduler();
      scheduler
          .getContext()
          .put(
              RUNTIME,
              new Runtime(
                  new IncrementalRun(ledger, launcher, state.resolve("logs"), Clock.systemUTC()),
                  console));
      return new ForgeScheduler(scheduler, ledger);
    } catch (SQLException | SchedulerException | RuntimeException e) {
      ledger.close();
      throw e;
    }
  }

  /**
   * Makes the store hold exactly {@code jobs}: new ones added, changed ones replaced, removed ones
   * deleted. A job whose cron and time zone are unchanged keeps its trigger, so fire times missed
   * while the scheduler was down are still seen as missed. Returns one line per job.
   */
  public List<String> sync(List<ScheduledJob> jobs) throws SchedulerException, IOException {
    List<String> changes = new ArrayList<>();
    Set<JobKey> wanted = new HashSet<>();
    for (ScheduledJob job : jobs) {
      JobKey key = JobKey.jobKey(job.name(), GROUP);
      wanted.add(key);
      String definition = JSON.writeValueAsString(job);
      JobDetail detail =
          JobBuilder.newJob(ScheduledRunJob.class)
              .withIdentity(key)
              .usingJobData(ScheduledRunJob.DEFINITION, definition)
              .storeDurably()
              .requestRecovery()
              .build();
      TriggerKey triggerKey = TriggerKey.triggerKey(job.name(), GROUP);
      CronTrigger trigger =
          TriggerBuilder.newTrigger()
              .withIdentity(triggerKey)
              .forJob(key)
              .withSchedule(
                  cronSchedule(job.cron())
                      .inTimeZone(TimeZone.getTimeZone(job.timeZone()))
                      .withMisfireHandlingInstructionFireAndProceed())
              .build();
      if (!scheduler.checkExists(key)) {
        scheduler.scheduleJob(detail, trigger);
        changes.add(job.name() + ": added, cron " + job.cron() + " " + job.timeZone());
        continue;
      }
      String stored =
          scheduler.getJobDetail(key).getJobDataMap().getString(ScheduledRunJob.DEFINITION);
      boolean changed = !definition.equals(stored);
      if (changed) {
        scheduler.addJob(detail, true);
      }
      Trigger old = scheduler.getTrigger(triggerKey);
      if (old instanceof CronTrigger c
          && c.getCronExpression().equals(job.cron())
          && c.getTimeZone().getID().equals(TimeZone.getTimeZone(job.timeZone()).getID())) {
        changes.add(job.name() + (changed ? ": updated" : ": unchanged"));
      } else {
        if (old == null) {
          scheduler.scheduleJob(trigger);
        } else {
          scheduler.rescheduleJob(triggerKey, trigger);
        }
        changes.add(job.name() + ": rescheduled, cron " + job.cron() + " " + job.timeZone());
      }
    }
    for (JobKey key : scheduler.getJobKeys(GroupMatcher.jobGroupEquals(GROUP))) {
      if (!wanted.contains(key)) {
        scheduler.deleteJob(key);
        changes.add(key.getName() + ": removed (no longer in the jobs file)");
      }
    }
    return changes;
  }

  /**
   * Starts firing; first fails any run a previous scheduler left running. Returns how many it
   * failed.
   */
  public int start() throws SQLException, SchedulerException {
    int interrupted = ledger.failInterrupted(Instant.now());
    scheduler.start();
    return interrupted;
  }

  /** The jobs in the store with their last and next fire times. */
  public List<JobView> jobs() throws SchedulerException, IOException {
    List<JobView> views = new ArrayList<>();
    List<JobKey> keys = new ArrayList<>(scheduler.getJobKeys(GroupMatcher.jobGroupEquals(GROUP)));
    keys.sort(JobKey::compareTo);
    for (JobKey key : keys) {
      ScheduledJob job =
          JSON.readValue(
              scheduler.getJobDetail(key).getJobDataMap().getString(ScheduledRunJob.DEFINITION),
              ScheduledJob.class);
      Trigger t = scheduler.getTrigger(TriggerKey.triggerKey(key.getName(), GROUP));
      views.add(
          new JobView(
              job.name(),
              job.pipeline(),
              job.cron(),
              job.timeZone(),
              t == null ? null : instant(t.getPreviousFireTime()),
              t == null ? null : instant(t.getNextFireTime()),
              job.runner(),
              job.input(),
              job.output()));
    }
    return views;
  }

  /** Retries of {@code job} waiting to fire. */
  public int pendingRetries(String job) throws SchedulerException {
    int n = 0;
    for (Trigger t : scheduler.getTriggersOfJob(JobKey.jobKey(job, GROUP))) {
      if (t.getKey().getGroup().equals(RETRY_GROUP)) {
        n++;
      }
    }
    return n;
  }

  public RunLedger ledger() {
    return ledger;
  }

  private static Instant instant(Date d) {
    return d == null ? null : d.toInstant();
  }

  /**
   * Stops the schedule: running runs are interrupted (and failed in the ledger), then Quartz and
   * the ledger close.
   */
  @Override
  public void close() throws SchedulerException, SQLException {
    try {
      if (scheduler.isStarted()) {
        for (JobExecutionContext running : scheduler.getCurrentlyExecutingJobs()) {
          scheduler.interrupt(running.getJobDetail().getKey());
        }
      }
      scheduler.shutdown(true);
    } finally {
      ledger.close();
    }
  }
}
