package dev.corpusforge.pipelines.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger across runs, failures and restarts: each input is taken by one succeeded run, never
 * twice.
 */
class RunLedgerTest {
  @TempDir Path state;

  static RunLedger.InputFile file(String name, long size, long modified) {
    return new RunLedger.InputFile("s3://in/" + name, size, modified, null);
  }

  @Test
  void threeRunsWithInputsAddedBetweenThemTakeEachFileOnce() throws Exception {
    Instant t = Instant.parse("2026-11-29T00:00:00Z");
    List<RunLedger.InputFile> first = List.of(file("a.jsonl", 10, 1), file("b.jsonl", 20, 1));
    try (RunLedger ledger = RunLedger.open(state)) {
      assertEquals(first, ledger.untaken("docs", first));
      String r1 = ledger.begin("docs", first, t);
      ledger.finish(r1, RunLedger.SUCCEEDED, 5, 1, null, t.plusSeconds(30));

      List<RunLedger.InputFile> second =
          List.of(file("a.jsonl", 10, 1), file("b.jsonl", 20, 1), file("c.jsonl", 5, 2));
      assertEquals(
          List.of(file("c.jsonl", 5, 2)), ledger.untaken("docs", second), "only the new file");
      String r2 = ledger.begin("docs", List.of(file("c.jsonl", 5, 2)), t.plusSeconds(60));
      ledger.finish(r2, RunLedger.FAILED, 0, 0, "S3 unreachable", t.plusSeconds(70));
      assertEquals(
          List.of(file("c.jsonl", 5, 2)),
          ledger.untaken("docs", second),
          "a failed run leaves its input eligible");
      assertEquals(second, ledger.untaken("other-job", second), "ledgers of two jobs are apart");
    }
    // the ledger survives a restart
    try (RunLedger ledger = RunLedger.open(state)) {
      List<RunLedger.InputFile> third =
          List.of(
              file("a.jsonl", 10, 1),
              file("b.jsonl", 21, 3),
              file("c.jsonl", 5, 2),
              file("d.jsonl", 7, 3));
      List<RunLedger.InputFile> todo = ledger.untaken("docs", third);
      assertEquals(
          List.of(file("b.jsonl", 21, 3), file("c.jsonl", 5, 2), file("d.jsonl", 7, 3)),
          todo,
          "a changed file is new again");
      String r3 = ledger.begin("docs", todo, t.plusSeconds(120));
      ledger.finish(r3, RunLedger.SUCCEEDED, 9, 0, null, t.plusSeconds(150));
      assertEquals(List.of(), ledger.untaken("docs", third));

      List<RunLedger.Run> runs = ledger.runs("docs");
      assertEquals(
          List.of(RunLedger.SUCCEEDED, RunLedger.FAILED, RunLedger.SUCCEEDED),
          runs.stream().map(RunLedger.Run::status).toList());
      assertEquals(List.of(2, 1, 3), runs.stream().map(RunLedger.Run::inputs).toList());
      assertEquals("S3 unreachable", runs.get(1).message());
      assertNull(runs.get(0).message());
      assertEquals(t.plusSeconds(150), runs.get(2).finished());
      assertEquals(3, ledger.runs(null).size());
    }
  }
}
