package dev.corpusforge.pipelines.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jobs.yaml as users write it: defaults, both args forms, Unix and Quartz cron, and each mistake
 * named.
 */
class JobsFileTest {
  @TempDir Path dir;

  List<ScheduledJob> read(String yaml) throws Exception {
    Path f = dir.resolve("jobs.yaml");
    Files.writeString(f, yaml);
    return JobsFile.read(f);
  }

  @Test
  void runnerWordsAreForgeRunsAndThePreviousOnesStillRead() throws Exception {
    String base =
        "jobs:\n  - {name: j, cron: '* * * * *', pipeline: decompose, input: /in, output: /out";
    assertEquals("embedded", read(base + "}\n").get(0).runner());
    assertEquals("direct", read(base + ", runner: direct}\n").get(0).runner());
    assertEquals("cluster", read(base + ", flink-master: cluster}\n").get(0).runner());
    assertEquals(
        "h:8081", read(base + ", runner: flink, flink-master: 'h:8081'}\n").get(0).runner());
    // the previous release's words, with a warning
    assertEquals("embedded", read(base + ", runner: embedded}\n").get(0).runner());
    assertEquals("cluster", read(base + ", runner: cluster}\n").get(0).runner());
    assertEquals("h:8081", read(base + ", runner: 'h:8081'}\n").get(0).runner());
    assertEquals("flink h:8081", ScheduledJob.describe("h:8081"));
    assertEquals("flink [local]", ScheduledJob.describe("embedded"));
  }

  @Test
  void readsJobsWithDefaultsAndBothArgumentForms() throws Exception {
    List<ScheduledJob> jobs =
        read(
            """
        jobs:
          - name: captions
            cron: "* * * * *"
            pipeline: image-text
            input: s3://corpus/incoming/
            output: s3://corpus/pairs
            args: {input-format: folder, min-side: 200, ignore-noai: true, allow-private-addresses: false, allow-host: [a, b]}
          - name: docs
            cron: "0/30 * * * * ?"
            time-zone: Europe/Paris
            pipeline: decompose
            input: /data/docs
            include: "**/*.jsonl"
            output: /data/buckets
            runner: flink
            flink-master: 127.0.0.1:8081
            args: [--tokenizer, cl100k_base]
            retries: 0
            max-files-per-run: 100
            settle-seconds: "0"
            timeout-minutes: 0.5
        """);
    ScheduledJob a = jobs.get(0);
    assertEquals("0 * * * * ? *", a.cron(), "Unix five fields become Quartz's");
    assertEquals("UTC", a.timeZone());
    assertEquals("embedded", a.runner());
    assertEquals("--input", a.inputFlag());
    assertEquals("**", a.include());
    assertEquals(
        List.of(
            "--input-format",
            "folder",
            "--min-side",
            "200",
            "--ignore-noai",
            "--allow-host",
            "a",
            "--allow-host",
            "b"),
        a.args());
    assertEquals(JobsFile.DEFAULT_RETRIES, a.retries());
    assertEquals(JobsFile.DEFAULT_SETTLE_SECONDS, a.settleSeconds());
    assertEquals(0.0, a.timeoutMinutes(), "no timeout unless asked");
    assertEquals(0.5, jobs.get(1).timeoutMinutes(), "thirty seconds");
    assertEquals("s3://corpus/pairs/run=R1", a.runOutput("R1"));
    assertEquals(
        List.of(
            "run",
            "image-text",
            "--input",
            "x.jpg",
            "--input",
            "x.txt",
            "--output",
            "s3://corpus/pairs/run=R1",
            "--runner",
            "flink",
            "--s3-path-style",
            "--input-format",
            "folder",
            "--min-side",
            "200",
            "--ignore-noai",
            "--allow-host",
            "a",
            "--allow-host",
            "b"),
        a.forgeArgs(
            List.of("x.jpg", "x.txt"), a.runOutput("R1"), null, List.of("--s3-path-style")));

    ScheduledJob b = jobs.get(1);
    assertEquals("0/30 * * * * ?", b.cron());
    assertEquals(0, b.retries());
    assertEquals(100, b.maxFilesPerRun());
    assertEquals(0, b.settleSeconds());
    assertEquals(
        List.of(
            "run",
            "decompose",
            "--input",
            "/data/docs/a.jsonl",
            "--output",
            "/data/buckets/run=R2",
            "--runner",
            "flink",
            "--flink-master",
            "127.0.0.1:8081",
            "--tokenizer",
            "cl100k_base"),
        b.forgeArgs(List.of("/data/docs/a.jsonl"), b.runOutput("R2"), b.runner(), List.of()));
  }

  @Test
  void namesEachMistake() {
    String base =
        "jobs:\n  - {name: j, cron: '* * * * *', pipeline: decompose, input: /in, output: /out";
    assertMessage("unknown key 'schedule'", base + ", schedule: daily}\n");
    assertMessage(
        "has 3 fields",
        "jobs:\n  - {name: j, cron: '* * *', pipeline: decompose, input: /in, output: /out}\n");
    assertMessage(
        "not valid",
        "jobs:\n  - {name: j, cron: '0 * * * * *', pipeline: decompose, input: /in, output: /out}\n");
    assertMessage(
        "unknown pipeline 'captions'",
        "jobs:\n  - {name: j, cron: '* * * * *', pipeline: captions, input: /in, output: /out}\n");
    assertMessage(
        "'output' is required",
        "jobs:\n  - {name: j, cron: '* * * * *', pipeline: decompose, input: /in}\n");
    assertMessage("args must not set --output", base + ", args: [--output, /elsewhere]}\n");
    assertMessage("args must not set --input", base + ", args: {input: /more}}\n");
    assertMessage(
        "a second job named 'j'",
        "jobs:\n" + base.substring(6) + "}\n" + base.substring(6) + "}\n");
    assertMessage("'retries' must be a whole number", base + ", retries: -1}\n");
    assertMessage("unknown time-zone", base + ", time-zone: Mars/Olympus}\n");
    assertMessage("runner 'yarn'", base + ", runner: yarn}\n");
    assertMessage("flink-master 'yarn'", base + ", flink-master: yarn}\n");
    assertMessage(
        "flink-master needs runner: flink", base + ", runner: direct, flink-master: 'h:1'}\n");
    assertMessage(
        "may hold only",
        "jobs:\n  - {name: 'a b', cron: '* * * * *', pipeline: decompose, input: /in, output: /out}\n");
    assertMessage("expected a mapping with a list 'jobs'", "- just a list\n");
    assertMessage("not valid YAML", "jobs: [\n");
  }

  private void assertMessage(String expected, String yaml) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read(yaml));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
