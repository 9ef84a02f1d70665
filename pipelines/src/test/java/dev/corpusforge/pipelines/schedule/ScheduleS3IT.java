package dev.corpusforge.pipelines.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.adobe.testing.s3mock.junit5.S3MockExtension;
import dev.corpusforge.pipelines.run.RunDriver;
import dev.corpusforge.pipelines.run.RunSettings;
import dev.corpusforge.pipelines.testing.CuttableProxy;
import dev.corpusforge.pipelines.testing.OutputReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Scheduled image-text runs as they really run — {@code forge run} in a JVM of its own — over an S3
 * prefix: a run past the job's timeout is stopped and failed; then the S3 server goes away once the
 * next run starts writing: that run fails cleanly (non-zero exit, no {@code _SUCCESS}, failed in
 * the ledger) and the next one redoes its files, after which there is nothing left to take.
 */
class ScheduleS3IT {
  @RegisterExtension
  static final S3MockExtension S3 =
      S3MockExtension.builder()
          .silent()
          .withSecureConnection(false)
          .withHttpPort(0)
          .withInitialBuckets("corpus")
          .build();

  static final Path SAMPLE = Path.of("..", "samples", "image-text");

  @TempDir Path tmp;

  @Test
  void anS3OutageFailsTheRunCleanlyAndTheNextRunRedoesIt() throws Exception {
    System.setProperty("aws.accessKeyId", "test-key");
    System.setProperty("aws.secretAccessKey", "test-secret");
    S3Client client = S3.createS3ClientV2();
    List<Path> images;
    try (Stream<Path> files = Files.walk(SAMPLE)) {
      images =
          files
              .filter(
                  f ->
                      f.toString().endsWith(".png")
                          && Files.exists(Path.of(f.toString().replace(".png", ".txt"))))
              .sorted()
              .limit(5)
              .toList();
    }
    assertEquals(5, images.size());
    try (CuttableProxy proxy = new CuttableProxy(S3.getHttpPort())) {
      String endpoint = "http://127.0.0.1:" + proxy.port();
      RunDriver.options(
          new RunSettings(
              "direct", RunSettings.EMBEDDED, 0, endpoint, true, "us-east-1", false, 0));
      // Lingua's small models: each run is a JVM of its own, and this test is about the schedule
      // and S3
      ScheduledJob job =
          new ScheduledJob(
              "pairs",
              "0 * * * * ?",
              "UTC",
              "image-text",
              "s3://corpus/in/",
              "**",
              "--input",
              "s3://corpus/out",
              "direct",
              List.of(
                  "--input-format", "folder", "--progress-seconds", "0", "--language-low-accuracy"),
              0,
              1,
              0,
              0,
              5,
              List.of());
      ChildProcessLauncher launcher =
          new ChildProcessLauncher(
              List.of("--s3-endpoint", endpoint, "--s3-path-style", "--s3-region", "us-east-1"),
              tmp.resolve("cluster"));
      try (RunLedger ledger = RunLedger.open(tmp.resolve("state"))) {
        IncrementalRun runs =
            new IncrementalRun(ledger, launcher, tmp.resolve("logs"), Clock.systemUTC());
        upload(client, images);
        // a run going past the job's timeout (1.2 s: less than a JVM takes to start a pipeline) is
        // stopped and
        // failed
        ScheduledJob hurried =
            new ScheduledJob(
                "pairs",
                job.cron(),
                "UTC",
                job.pipeline(),
                job.input(),
                job.include(),
                job.inputFlag(),
                job.output(),
                job.runner(),
                job.args(),
                0,
                1,
                0,
                0,
                0.02,
                List.of());
        IncrementalRun.Outcome stopped = runs.run(hurried);
        assertEquals(RunLedger.FAILED, stopped.status());
        assertTrue(
            stopped.ending().message().startsWith("stopped after the job's timeout of 0.02 min"),
            stopped.ending().message());
        assertFalse(
            keys(client, "out/run=" + stopped.runId() + "/")
                .contains("out/run=" + stopped.runId() + "/_SUCCESS"),
            "no _SUCCESS for the stopped run");
        // the first write of the run's records (not its output lock, taken before any work)
        proxy.cutOn(Pattern.compile("(PUT|POST) /corpus/out/run(=|%3D)[^/ ]+/(?!_LOCK)"));
        IncrementalRun.Outcome failed = runs.run(job);
        assertEquals(1, proxy.cuts(), "the outage began once the run started writing");
        proxy.restore();
        assertEquals(RunLedger.FAILED, failed.status());
        assertTrue(failed.ending().message().startsWith("exit 1"), failed.ending().message());
        assertEquals(10, failed.files(), "five images and their captions");
        assertFalse(
            keys(client, "out/run=" + failed.runId() + "/")
                .contains("out/run=" + failed.runId() + "/_SUCCESS"),
            "no _SUCCESS for the failed run");

        IncrementalRun.Outcome redone = runs.run(job);
        assertEquals(RunLedger.SUCCEEDED, redone.status(), () -> String.valueOf(redone.ending()));
        assertEquals(10, redone.files(), "the failed run's files, again");
        assertEquals(5, redone.ending().inputs());
        assertEquals(
            5,
            sampleIds(client, redone.runId()).size(),
            "every pair kept or rejected, read back from the Parquet");
        assertNull(runs.run(job).runId(), "nothing new: no third run");
        assertEquals(
            List.of(RunLedger.FAILED, RunLedger.FAILED, RunLedger.SUCCEEDED),
            ledger.runs("pairs").stream().map(RunLedger.Run::status).toList());
      }
    }
  }

  private static void upload(S3Client client, List<Path> images) {
    for (Path image : images) {
      for (Path f : List.of(image, Path.of(image.toString().replace(".png", ".txt")))) {
        client.putObject(
            b -> b.bucket("corpus").key("in/" + SAMPLE.relativize(f).toString().replace('\\', '/')),
            RequestBody.fromFile(f));
      }
    }
  }

  private static List<String> keys(S3Client client, String prefix) {
    return client.listObjectsV2Paginator(b -> b.bucket("corpus").prefix(prefix)).contents().stream()
        .map(S3Object::key)
        .sorted()
        .toList();
  }

  /** The sample ids a succeeded run kept or rejected, read back from its Parquet. */
  private Set<String> sampleIds(S3Client client, String runId) throws Exception {
    String prefix = "out/run=" + runId + "/";
    List<String> keys = keys(client, prefix);
    assertTrue(keys.contains(prefix + "_SUCCESS"), keys.toString());
    Path local = tmp.resolve(runId);
    for (String key : keys) {
      if (key.endsWith(".parquet")) {
        Path target = local.resolve(key.substring(prefix.length()));
        Files.createDirectories(target.getParent());
        client.getObject(b -> b.bucket("corpus").key(key), target);
      }
    }
    Set<String> ids = new HashSet<>();
    for (String dir : List.of("data", "rejects")) {
      if (Files.isDirectory(local.resolve(dir))) {
        for (Map<String, Object> row : OutputReader.parquetRows(local.resolve(dir))) {
          ids.add(String.valueOf(row.get("sample_id")));
        }
      }
    }
    return ids;
  }
}
