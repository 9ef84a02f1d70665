package dev.corpusforge.pipelines.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corpusforge.pipelines.testing.Await;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The schedule with Quartz's persistent store, on fast cron expressions (seconds): no two runs of a
 * job at once, missed fire times fire once after a restart, failed runs retried with backoff, and
 * the store following the jobs file.
 */
class ForgeSchedulerTest {
  private static final long MISFIRE_MILLIS = 500;

  @TempDir Path dir;

  final ByteArrayOutputStream console = new ByteArrayOutputStream();

  ScheduledJob job(String name, String cron, int retries, long backoffSeconds) throws Exception {
    Path in = dir.resolve("in-" + name);
    Files.createDirectories(in);
    Files.writeString(in.resolve("first.jsonl"), "{}");
    return new ScheduledJob(
        name,
        cron,
        "UTC",
        "decompose",
        in.toString(),
        "**",
        "--input",
        dir.resolve("out-" + name).toString(),
        "direct",
        List.of(),
        retries,
        backoffSeconds,
        0,
        0,
        0,
        List.of());
  }

  ForgeScheduler open(RunLauncher launcher) throws Exception {
    return ForgeScheduler.open(
        dir.resolve("state"), launcher, MISFIRE_MILLIS, new PrintStream(console, true));
  }

  /**
   * A Quartz cron expression that fires at exactly these seconds of one minute of this year, and
   * never again.
   */
  static String cronAt(ZonedDateTime first, int count) {
    StringBuilder seconds = new StringBuilder();
    for (int i = 0; i < count; i++) {
      seconds.append(i == 0 ? "" : ",").append(first.getSecond() + i);
    }
    return seconds
        + " "
        + first.getMinute()
        + " "
        + first.getHour()
        + " "
        + first.getDayOfMonth()
        + " "
        + first.getMonthValue()
        + " ? "
        + first.getYear();
  }

  /** A time at least two seconds ahead whose next {@code count} seconds lie in one minute. */
  static ZonedDateTime soon(int count) {
    ZonedDateTime t =
        ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(2).truncatedTo(ChronoUnit.SECONDS);
    return t.getSecond() + count > 59
        ? t.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1).plusSeconds(1)
        : t;
  }

  static void await(BooleanSupplier condition, Duration deadline, String what) throws Exception {
    Await.until(condition::getAsBoolean, deadline, () -> what);
  }

  /** No fire time left for any job, and as many runs recorded, all ended, as the launcher saw. */
  static boolean settled(ForgeScheduler scheduler, RecordingLauncher launcher) {
    try {
      List<RunLedger.Run> runs = scheduler.ledger().runs(null);
      return scheduler.jobs().stream().allMatch(j -> j.nextFire() == null)
          && runs.size() == launcher.calls.size()
          && runs.stream().noneMatch(r -> r.status().equals(RunLedger.RUNNING));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static void sleepUntil(ZonedDateTime t) throws InterruptedException {
    long ms = Duration.between(Instant.now(), t.toInstant()).toMillis();
    if (ms > 0) {
      Thread.sleep(ms);
    }
  }

  @Test
  void firesEverySecondButNeverRunsAJobTwiceAtOnce() throws Exception {
    RecordingLauncher launcher = new RecordingLauncher(1500);
    ScheduledJob job = job("busy", "* * * * * ?", 0, 1);
    launcher.grow = Path.of(job.input());
    try (ForgeScheduler scheduler = open(launcher)) {
      scheduler.sync(List.of(job));
      scheduler.start();
      await(() -> launcher.calls.size() >= 3, Duration.ofSeconds(40), "three runs");
    }
    assertFalse(launcher.overlapped, "two runs of one job at once");
    for (int i = 1; i < launcher.calls.size(); i++) {
      assertFalse(
          launcher.calls.get(i).started().isBefore(launcher.calls.get(i - 1).finished()),
          "run " + i + " started before run " + (i - 1) + " ended");
      assertEquals(
          List.of("added-" + (i - 1) + ".jsonl"),
          launcher.calls.get(i).files().stream()
              .map(f -> Path.of(f).getFileName().toString())
              .toList(),
          "each run takes only the file added since the last");
    }
  }

  @Test
  void fireTimesMissedWhileDownFireOnceAfterARestart() throws Exception {
    ZonedDateTime first = soon(3);
    ScheduledJob job = job("nightly", cronAt(first, 3), 0, 1);
    try (ForgeScheduler scheduler = open(new RecordingLauncher(0))) {
      assertEquals(
          List.of("nightly: added, cron " + job.cron() + " UTC"), scheduler.sync(List.of(job)));
      // stopped before any fire time: all three pass while the scheduler is down
    }
    sleepUntil(first.plusSeconds(2).plus(Duration.ofMillis(MISFIRE_MILLIS + 700)));
    RecordingLauncher launcher = new RecordingLauncher(0);
    launcher.grow =
        Path.of(job.input()); // every firing finds new input, so each one would be a run
    try (ForgeScheduler scheduler = open(launcher)) {
      assertEquals(
          List.of("nightly: unchanged"),
          scheduler.sync(List.of(job)),
          "an unchanged job keeps its stored trigger");
      scheduler.start();
      // the cron has no fire time left once the missed ones are handled: wait until the trigger is
      // spent and every run it caused has ended, however many that was
      await(
          () -> launcher.calls.size() >= 1 && settled(scheduler, launcher),
          Duration.ofSeconds(20),
          "the missed run, and nothing pending");
    }
    assertEquals(1, launcher.calls.size(), "three missed fire times make one run, not three");
  }

  @Test
  void aFailedRunIsRetriedWithBackoffUntilItSucceeds() throws Exception {
    ZonedDateTime first = soon(1);
    ScheduledJob job = job("flaky", cronAt(first, 1), 2, 1);
    RecordingLauncher launcher = new RecordingLauncher(0, true, true);
    try (ForgeScheduler scheduler = open(launcher)) {
      scheduler.sync(List.of(job));
      scheduler.start();
      await(() -> launcher.calls.size() >= 3, Duration.ofSeconds(30), "two retries");
      List<RunLedger.Run> runs = scheduler.ledger().runs("flaky");
      await(
          () -> {
            try {
              return scheduler.ledger().runs("flaky").stream()
                  .noneMatch(r -> r.status().equals(RunLedger.RUNNING));
            } catch (Exception e) {
              throw new RuntimeException(e);
            }
          },
          Duration.ofSeconds(10),
          "the last run recorded");
      runs = scheduler.ledger().runs("flaky");
      assertEquals(
          List.of(RunLedger.FAILED, RunLedger.FAILED, RunLedger.SUCCEEDED),
          runs.stream().map(RunLedger.Run::status).toList());
    }
    assertEquals(
        launcher.calls.get(0).files(),
        launcher.calls.get(2).files(),
        "the retry takes the failed run's files");
    assertTrue(
        !launcher.calls.get(1).started().isBefore(launcher.calls.get(0).finished().plusSeconds(1)),
        "first retry after 1 s");
    assertTrue(
        !launcher.calls.get(2).started().isBefore(launcher.calls.get(1).finished().plusSeconds(2)),
        "second retry after 2 s");
    String log = console.toString();
    assertTrue(
        log.contains("flaky: retry 1 of 2 in 1 s") && log.contains("flaky: retry 2 of 2 in 2 s"),
        log);
  }

  @Test
  void aRunLeftRunningByADeadSchedulerIsMarkedFailedAndItsFilesAreRedone() throws Exception {
    ZonedDateTime first = soon(1);
    ScheduledJob job = job("orphan", cronAt(first, 1), 0, 1);
    Path file = Path.of(job.input()).resolve("first.jsonl");
    // a scheduler that died during a run (SIGKILL, a lost machine) leaves the run as running in its
    // ledger
    try (RunLedger ledger = RunLedger.open(dir.resolve("state"))) {
      ledger.begin(
          "orphan",
          List.of(
              new RunLedger.InputFile(
                  file.toString(),
                  Files.size(file),
                  Files.getLastModifiedTime(file).toMillis(),
                  null)),
          Instant.now().minusSeconds(60));
      assertEquals(
          List.of(RunLedger.RUNNING),
          ledger.runs("orphan").stream().map(RunLedger.Run::status).toList());
    }
    RecordingLauncher launcher = new RecordingLauncher(0);
    try (ForgeScheduler scheduler = open(launcher)) {
      scheduler.sync(List.of(job));
      assertEquals(1, scheduler.start(), "the next scheduler fails the run it finds running");
      await(
          () -> {
            try {
              List<RunLedger.Run> runs = scheduler.ledger().runs("orphan");
              return launcher.calls.size() >= 1
                  && runs.size() == 2
                  && runs.stream().noneMatch(r -> r.status().equals(RunLedger.RUNNING));
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          },
          Duration.ofSeconds(20),
          "the next run, recorded");
      List<RunLedger.Run> runs = scheduler.ledger().runs("orphan");
      assertEquals(
          List.of(RunLedger.FAILED, RunLedger.SUCCEEDED),
          runs.stream().map(RunLedger.Run::status).toList());
      assertTrue(runs.get(0).message().startsWith("interrupted"), runs.get(0).message());
    }
    assertEquals(
        List.of("first.jsonl"),
        launcher.calls.get(0).files().stream()
            .map(f -> Path.of(f).getFileName().toString())
            .toList(),
        "the interrupted run's file is taken again");
  }

  @Test
  void failuresOnEveryFiringKeepOneRetryPendingNotOnePerFailure() throws Exception {
    RecordingLauncher launcher =
        new RecordingLauncher(0, true, true, true, true, true, true, true, true, true, true);
    ScheduledJob job = job("failing", "* * * * * ?", 2, 30);
    try (ForgeScheduler scheduler = open(launcher)) {
      scheduler.sync(List.of(job));
      scheduler.start();
      await(() -> launcher.calls.size() >= 4, Duration.ofSeconds(30), "four failed runs");
    }
    try (ForgeScheduler scheduler = open(new RecordingLauncher(0))) {
      assertEquals(
          1,
          scheduler.pendingRetries("failing"),
          "each run took the files a pending retry would have: it replaces it");
    }
  }

  @Test
  void theStoreFollowsTheJobsFileAcrossRestarts() throws Exception {
    ScheduledJob a = job("a", "0 0 * * * ?", 0, 1);
    ScheduledJob b = job("b", "0 0 * * * ?", 0, 1);
    try (ForgeScheduler scheduler = open(new RecordingLauncher(0))) {
      assertEquals(2, scheduler.sync(List.of(a, b)).size());
    }
    ScheduledJob a2 =
        new ScheduledJob(
            "a",
            a.cron(),
            "UTC",
            "decompose",
            a.input(),
            "**",
            "--input",
            a.output(),
            "direct",
            List.of("--tokenizer", "o200k_base"),
            0,
            1,
            0,
            0,
            0,
            List.of());
    ScheduledJob b2 =
        new ScheduledJob(
            "b",
            "0 30 * * * ?",
            "Europe/Paris",
            "decompose",
            b.input(),
            "**",
            "--input",
            b.output(),
            "direct",
            List.of(),
            0,
            1,
            0,
            0,
            0,
            List.of());
    try (ForgeScheduler scheduler = open(new RecordingLauncher(0))) {
      assertEquals(
          List.of("a: updated", "b: rescheduled, cron 0 30 * * * ? Europe/Paris"),
          scheduler.sync(List.of(a2, b2)));
      assertEquals(
          List.of("a: unchanged", "b: removed (no longer in the jobs file)"),
          scheduler.sync(List.of(a2)));
    }
    try (ForgeScheduler scheduler = open(new RecordingLauncher(0))) {
      List<ForgeScheduler.JobView> jobs = scheduler.jobs();
      assertEquals(1, jobs.size());
      assertEquals("a", jobs.get(0).name());
      assertNotNull(jobs.get(0).nextFire());
      assertEquals(0, jobs.get(0).nextFire().atZone(ZoneOffset.UTC).getMinute());
    }
  }
}
