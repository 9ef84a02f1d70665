package dev.corpusforge.pipelines.schedule;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * One scheduled run of a job: list the input prefix, keep the files no succeeded run has taken,
 * record the run in the ledger, launch it into {@code output/run=<run_id>/}, record how it ended.
 * With nothing new there is no run. A run that fails leaves its files to the next one.
 */
public final class IncrementalRun {
  /** What one firing did: {@code runId} is null when there was nothing new to take. */
  public record Outcome(String runId, String status, int files, RunLauncher.Ending ending) {
    public boolean failed() {
      return RunLedger.FAILED.equals(status);
    }
  }

  private final RunLedger ledger;
  private final RunLauncher launcher;
  private final Path logs;
  private final Clock clock;

  public IncrementalRun(RunLedger ledger, RunLauncher launcher, Path logs, Clock clock) {
    this.ledger = ledger;
    this.launcher = launcher;
    this.logs = logs;
    this.clock = clock;
  }

  public Outcome run(ScheduledJob job) throws SQLException, InterruptedException {
    Instant started = clock.instant();
    List<RunLedger.InputFile> fresh;
    try {
      String outputs = job.output().endsWith("/") ? job.output() : job.output() + "/";
      // a job whose output lies under its input never takes its own outputs as new input
      List<RunLedger.InputFile> listed =
          InputScan.list(job.input(), job.include(), job.settleSeconds(), started).stream()
              .filter(f -> !f.path().startsWith(outputs))
              .toList();
      fresh = ledger.untaken(job.name(), listed);
    } catch (IOException | RuntimeException e) {
      String runId = RunLedger.newRunId(started);
      ledger.begin(runId, job.name(), List.of(), started, null);
      String message = "cannot list " + job.input() + ": " + e.getMessage();
      ledger.finish(runId, RunLedger.FAILED, 0, 0, message, clock.instant());
      return new Outcome(runId, RunLedger.FAILED, 0, RunLauncher.Ending.failed(message));
    }
    if (job.maxFilesPerRun() > 0 && fresh.size() > job.maxFilesPerRun()) {
      fresh = fresh.subList(0, job.maxFilesPerRun());
    }
    if (fresh.isEmpty()) {
      return new Outcome(null, RunLedger.SKIPPED, 0, null);
    }
    String runId = RunLedger.newRunId(started);
    String output = job.runOutput(runId);
    ledger.begin(runId, job.name(), fresh, started, output);
    RunLauncher.Ending ending;
    try {
      ending =
          launcher.launch(
              job,
              fresh.stream().map(RunLedger.InputFile::path).toList(),
              output,
              logs.resolve(job.name()).resolve(runId + ".log"));
    } catch (InterruptedException e) {
      ledger.finish(
          runId,
          RunLedger.FAILED,
          0,
          0,
          "interrupted: the scheduler stopped during the run",
          clock.instant());
      throw e;
    } catch (RuntimeException e) {
      ending = RunLauncher.Ending.failed(e.toString());
    }
    String status = ending.succeeded() ? RunLedger.SUCCEEDED : RunLedger.FAILED;
    ledger.finish(
        runId, status, ending.kept(), ending.rejected(), ending.message(), clock.instant());
    return new Outcome(runId, status, fresh.size(), ending);
  }
}
