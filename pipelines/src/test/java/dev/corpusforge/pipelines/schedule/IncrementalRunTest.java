package dev.corpusforge.pipelines.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs of one job over a folder that grows between them: each file is taken by one succeeded run,
 * never twice.
 */
class IncrementalRunTest {
  @TempDir Path dir;

  ScheduledJob job(Path in, String include, int maxFiles, long settleSeconds) {
    return new ScheduledJob(
        "docs",
        "0 * * * * ?",
        "UTC",
        "decompose",
        in.toString(),
        include,
        "--input",
        dir.resolve("out").toString(),
        "direct",
        List.of(),
        0,
        1,
        maxFiles,
        settleSeconds,
        0,
        List.of());
  }

  static void write(Path file, String text) throws Exception {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  static List<String> names(List<String> paths) {
    return paths.stream().map(p -> p.substring(p.lastIndexOf('/') + 1)).toList();
  }

  @Test
  void threeRunsWithFilesAddedBetweenThemTakeEachFileOnce() throws Exception {
    Path in = dir.resolve("in");
    write(in.resolve("a.jsonl"), "{}");
    write(in.resolve("sub/b.jsonl"), "{}");
    write(in.resolve("_SUCCESS"), "");
    write(in.resolve(".c.jsonl.part"), "{");
    write(in.resolve("_tmp/d.jsonl"), "{}");
    RecordingLauncher launcher = new RecordingLauncher(0, false, true);
    try (RunLedger ledger = RunLedger.open(dir.resolve("state"))) {
      IncrementalRun runs =
          new IncrementalRun(ledger, launcher, dir.resolve("logs"), Clock.systemUTC());
      ScheduledJob job = job(in, "**", 0, 0);

      IncrementalRun.Outcome first = runs.run(job);
      assertEquals(RunLedger.SUCCEEDED, first.status());
      assertEquals(
          List.of("a.jsonl", "b.jsonl"),
          names(launcher.calls.get(0).files()),
          "hidden, temporary and marker files are left out");
      assertEquals(job.runOutput(first.runId()), launcher.calls.get(0).output());
      assertTrue(launcher.calls.get(0).output().endsWith("/out/run=" + first.runId()));

      assertNull(runs.run(job).runId(), "nothing new: no run");
      assertEquals(1, launcher.calls.size());

      write(in.resolve("c.jsonl"), "{}");
      IncrementalRun.Outcome second = runs.run(job);
      assertEquals(RunLedger.FAILED, second.status());
      assertEquals(List.of("c.jsonl"), names(launcher.calls.get(1).files()));

      write(in.resolve("d.jsonl"), "{}");
      write(in.resolve("a.jsonl"), "{\"changed\": true}");
      IncrementalRun.Outcome third = runs.run(job);
      assertEquals(RunLedger.SUCCEEDED, third.status());
      assertEquals(
          List.of("a.jsonl", "c.jsonl", "d.jsonl"),
          names(launcher.calls.get(2).files()),
          "the failed run's file again, the new one, and the one rewritten with another size");

      List<RunLedger.Run> ledgerRuns = ledger.runs("docs");
      assertEquals(
          List.of(RunLedger.SUCCEEDED, RunLedger.FAILED, RunLedger.SUCCEEDED),
          ledgerRuns.stream().map(RunLedger.Run::status).toList());
      assertEquals(List.of(2, 1, 3), ledgerRuns.stream().map(RunLedger.Run::inputs).toList());
      assertEquals("failure 1 as told", ledgerRuns.get(1).message());
      assertEquals(job.runOutput(third.runId()), ledgerRuns.get(2).output());
      assertEquals(3L, ledgerRuns.get(2).kept());
      assertEquals(
          List.of("a.jsonl", "c.jsonl", "d.jsonl"),
          names(ledger.inputsOf(third.runId()).stream().map(RunLedger.InputFile::path).toList()));
    }
  }

  @Test
  void includeGlobMaxFilesAndSettleTimeChooseWhatARunTakes() throws Exception {
    Path in = dir.resolve("in");
    for (String n : List.of("1.jsonl", "2.jsonl", "3.jsonl", "notes.txt", "deep/4.jsonl")) {
      write(in.resolve(n), "{}");
    }
    RecordingLauncher launcher = new RecordingLauncher(0);
    try (RunLedger ledger = RunLedger.open(dir.resolve("state"))) {
      IncrementalRun runs =
          new IncrementalRun(ledger, launcher, dir.resolve("logs"), Clock.systemUTC());
      runs.run(job(in, "*.jsonl", 2, 0));
      runs.run(job(in, "*.jsonl", 2, 0));
      assertNull(runs.run(job(in, "*.jsonl", 2, 0)).runId());
      assertEquals(
          List.of(List.of("1.jsonl", "2.jsonl"), List.of("3.jsonl")),
          launcher.calls.stream().map(c -> names(c.files())).toList(),
          "two files per run, oldest path first; the glob matches the top folder only");
      assertNull(
          runs.run(job(in, "**/*.jsonl", 0, 3600)).runId(),
          "every file was modified within the settle time");
      IncrementalRun.Outcome all =
          new IncrementalRun(
                  ledger,
                  launcher,
                  dir.resolve("logs"),
                  Clock.offset(Clock.systemUTC(), java.time.Duration.ofHours(2)))
              .run(job(in, "**/*.jsonl", 0, 3600));
      assertEquals(1, all.files(), "settled an hour later: the deep file (the others are taken)");
    }
  }

  @Test
  void anOutputInsideTheInputIsNeverTakenAsInput() throws Exception {
    Path in = dir.resolve("in");
    write(in.resolve("a.jsonl"), "{}");
    write(in.resolve("out/run=1/data/part.parquet"), "x");
    ScheduledJob job =
        new ScheduledJob(
            "docs",
            "0 * * * * ?",
            "UTC",
            "decompose",
            in.toString(),
            "**",
            "--input",
            in.resolve("out").toString(),
            "direct",
            List.of(),
            0,
            1,
            0,
            0,
            0,
            List.of());
    RecordingLauncher launcher = new RecordingLauncher(0);
    try (RunLedger ledger = RunLedger.open(dir.resolve("state"))) {
      new IncrementalRun(ledger, launcher, dir.resolve("logs"), Clock.systemUTC()).run(job);
    }
    assertEquals(List.of("a.jsonl"), names(launcher.calls.get(0).files()));
  }

  @Test
  void anInputPrefixThatCannotBeListedIsAFailedRunWithoutFiles() throws Exception {
    try (RunLedger ledger = RunLedger.open(dir.resolve("state"))) {
      IncrementalRun.Outcome o =
          new IncrementalRun(
                  ledger, new RecordingLauncher(0), dir.resolve("logs"), Clock.systemUTC())
              .run(job(dir.resolve("in"), "[", 0, 0));
      assertEquals(RunLedger.FAILED, o.status());
      assertTrue(
          ledger.runs("docs").get(0).message().startsWith("cannot list"),
          ledger.runs("docs").get(0).message());
      assertEquals(Instant.class, ledger.runs("docs").get(0).finished().getClass());
    }
  }
}
