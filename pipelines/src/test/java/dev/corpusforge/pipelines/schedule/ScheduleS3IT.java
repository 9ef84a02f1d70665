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
 * Scheduled image-text runs as they really run — {@code forge run} in a JVM of its own — over an
 * S3 prefix that grows, with the S3 server going away in the middle of the second run: that run
 * fails cleanly (non-zero exit, no {@code _SUCCESS}, failed in the ledger) and the next one redoes
 * its files; no file is taken by two succeeded runs.
 */
class ScheduleS3IT {
  @RegisterExtension
  static final S3MockExtension S3 = S3MockExtension.builder().silent().withSecureConnection(false).withHttpPort(0).withInitialBuckets("corpus").build();
  static final Path SAMPLE = Path.of("..", "samples", "image-text");
  @TempDir Path tmp;

  @Test
  void anS3OutageFailsTheRunCleanlyAndTheNextRunRedoesIt() throws Exception {
    System.setProperty("aws.accessKeyId", "test-key");
    System.setProperty("aws.secretAccessKey", "test-secret");
    S3Client client = S3.createS3ClientV2();
    List<Path> images;
    try (Stream<Path> files = Files.walk(SAMPLE)) {
      images = files.filter(f -> f.toString().endsWith(".png") && Files.exists(Path.of(f.toString().replace(".png", ".txt")))).sorted().limit(5).toList();
    }
    assertEquals(5, images.size());
    try (CuttableProxy proxy = new CuttableProxy(S3.getHttpPort())) {
      String endpoint = "http://127.0.0.1:" + proxy.port();
      RunDriver.options(new RunSettings("direct", RunSettings.EMBEDDED, 0, endpoint, true, "us-east-1", false, 0));
      ScheduledJob job = new ScheduledJob("pairs", "0 * * * * ?", "UTC", "image-text", "s3://corpus/in/", "**", "--input", "s3://corpus/out", "direct",
          List.of("--input-format", "folder", "--progress-seconds", "0"), 0, 1, 0, 0, 5, List.of());
      ChildProcessLauncher launcher = new ChildProcessLauncher(List.of("--s3-endpoint", endpoint, "--s3-path-style", "--s3-region", "us-east-1"), tmp.resolve("cluster"));
      try (RunLedger ledger = RunLedger.open(tmp.resolve("state"))) {
        IncrementalRun runs = new IncrementalRun(ledger, launcher, tmp.resolve("logs"), Clock.systemUTC());
        upload(client, images.subList(0, 3));
        IncrementalRun.Outcome first = runs.run(job);
        assertEquals(RunLedger.SUCCEEDED, first.status(), () -> String.valueOf(first.ending()));
        assertEquals(6, first.files(), "three images and their captions");
        assertEquals(3, first.ending().inputs());

        upload(client, images.subList(3, 5));
        proxy.cutOn(Pattern.compile("(PUT|POST) /corpus/out/"));
        IncrementalRun.Outcome second = runs.run(job);
        assertEquals(1, proxy.cuts(), "the outage began once the run started writing");
        proxy.restore();
        assertEquals(RunLedger.FAILED, second.status());
        assertTrue(second.ending().message().startsWith("exit 1"), second.ending().message());
        assertFalse(keys(client, "out/run=" + second.runId() + "/").contains("out/run=" + second.runId() + "/_SUCCESS"), "no _SUCCESS for the failed run");

        IncrementalRun.Outcome third = runs.run(job);
        assertEquals(RunLedger.SUCCEEDED, third.status(), () -> String.valueOf(third.ending()));
        assertEquals(4, third.files(), "the failed run's files, again");
        assertEquals(2, third.ending().inputs());
        assertNull(runs.run(job).runId(), "nothing new");

        Set<String> firstIds = sampleIds(client, first.runId());
        Set<String> thirdIds = sampleIds(client, third.runId());
        assertEquals(3, firstIds.size());
        assertEquals(2, thirdIds.size());
        Set<String> all = new HashSet<>(firstIds);
        all.addAll(thirdIds);
        assertEquals(5, all.size(), "no sample in two succeeded runs");
        assertEquals(List.of(RunLedger.SUCCEEDED, RunLedger.FAILED, RunLedger.SUCCEEDED), ledger.runs("pairs").stream().map(RunLedger.Run::status).toList());
      }
    }
  }

  private static void upload(S3Client client, List<Path> images) {
    for (Path image : images) {
      for (Path f : List.of(image, Path.of(image.toString().replace(".png", ".txt")))) {
        client.putObject(b -> b.bucket("corpus").key("in/" + SAMPLE.relativize(f).toString().replace('\\', '/')), RequestBody.fromFile(f));
      }
    }
  }

  private static List<String> keys(S3Client client, String prefix) {
    return client.listObjectsV2Paginator(b -> b.bucket("corpus").prefix(prefix)).contents().stream().map(S3Object::key).sorted().toList();
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
