package dev.corpusforge.pipelines.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corpusforge.pipelines.testing.Await;
import dev.corpusforge.pipelines.testing.AwsCredentialProperties;
import dev.corpusforge.pipelines.testing.ForgeCall;
import dev.corpusforge.pipelines.testing.LocalS3;
import dev.corpusforge.pipelines.testing.OutputReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user meets when things go wrong around a run, each with a clear outcome: a non-zero exit,
 * one line that names the cause (no stack trace), no {@code _SUCCESS}, nothing earlier lost. Runs
 * are decompose on the bundled kernel documents (no model, quick), in-process or, where the run
 * itself must be killed, as {@code forge run} in a JVM of its own.
 */
class FailureModesIT {
  static final Path DOCS =
      Path.of("..", "samples", "decompose", "docs").toAbsolutePath().normalize();

  /** 15 of the documents: enough for a run that fails while it writes. */
  static final Path FEW_DOCS = DOCS.resolve("admin-guide");

  static final long DOC_COUNT = 128;

  @TempDir Path tmp;

  /**
   * As on the command line, forge is this JVM's first user of logging, so its console settings
   * apply.
   */
  @org.junit.jupiter.api.BeforeAll
  static void forgeFirst() {
    assertEquals(0, ForgeCall.run("--version").exit());
  }

  private static String[] decompose(Path out, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "run",
                "decompose",
                "--input",
                DOCS.toString(),
                "--output",
                out.toString(),
                "--progress-seconds",
                "0",
                "--dd-shard-tokens",
                "0"));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  private static void assertOneLineError(ForgeCall.Outcome o, int exit, String expected) {
    assertEquals(exit, o.exit(), o.err());
    assertTrue(o.err().contains(expected), "expected '" + expected + "' in: " + o.err());
    assertFalse(o.hasStackTrace(), "no stack trace without --verbose: " + o.err());
    assertTrue(o.err().lines().filter(l -> l.startsWith("error: ")).count() == 1, o.err());
  }

  /**
   * A complete, balanced output: every kernel document kept or rejected exactly once, read back
   * from the Parquet.
   */
  private static void assertComplete(Path out) throws Exception {
    assertTrue(Files.exists(out.resolve("_SUCCESS")), "_SUCCESS in " + out);
    assertFalse(Files.exists(out.resolve(OutputLock.FILE)), "the lock is released");
    JsonNode manifest = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
    assertEquals(DOC_COUNT, manifest.path("counts").path("inputs").asLong());
    Set<String> docs = new HashSet<>();
    try (Stream<Path> dirs = Files.list(out.resolve("data"))) {
      for (Path dir : dirs.toList()) {
        OutputReader.parquetRows(dir).forEach(r -> docs.add((String) r.get("source_id")));
      }
    }
    OutputReader.parquetRows(out.resolve("rejects"))
        .forEach(r -> docs.add((String) r.get("source")));
    assertEquals(DOC_COUNT, docs.size(), "each document once, in a chunk or a reject");
  }

  @Test
  void aMissingInputIsNamedBeforeAnyWorkAbsoluteOrRelative() {
    Path out = tmp.resolve("out");
    assertOneLineError(
        ForgeCall.run(decomposeWithInput("/nonexistent/corpusforge-input", out)),
        2,
        "input /nonexistent/corpusforge-input does not exist");
    assertOneLineError(
        ForgeCall.run(decomposeWithInput("no-such-folder/docs", out)),
        2,
        "input no-such-folder/docs does not exist (relative to "
            + Path.of("").toAbsolutePath()
            + ")");
    assertOneLineError(
        ForgeCall.run(decomposeWithInput("/nonexistent/*.txt", out)),
        2,
        "matches no file: /nonexistent does not exist");
    assertFalse(Files.exists(out), "nothing written");
  }

  private static String[] decomposeWithInput(String input, Path out) {
    return new String[] {
      "run",
      "decompose",
      "--runner",
      "direct",
      "--input",
      input,
      "--output",
      out.toString(),
      "--progress-seconds",
      "0"
    };
  }

  @Test
  void anOutputThatCannotBeWrittenIsNamedBeforeAnyWork() {
    ForgeCall.Outcome o = ForgeCall.run(decompose(Path.of("/proc/corpusforge-out")));
    assertOneLineError(
        o,
        1,
        "output /proc/corpusforge-out cannot be written: cannot create /proc/corpusforge-out");
    assertTrue(o.err().contains("--verbose"), "says how to see more");
    ForgeCall.Outcome verbose =
        ForgeCall.run(decompose(Path.of("/proc/corpusforge-out"), "--verbose"));
    assertEquals(1, verbose.exit());
    assertTrue(verbose.hasStackTrace(), "--verbose adds the stack trace");
  }

  /**
   * A full disk: a 96 KB tmpfs (the run writes about 230 KB) (mounting needs root, which this
   * machine type's tests have) with a file of the user's on it. The run fails in its write phase
   * with exit 1 and the cause in one line; the user's file is untouched; no _SUCCESS; the next run
   * elsewhere is unaffected.
   */
  @Test
  void aFullDiskFailsTheRunWithItsCause() throws Exception {
    Path mount = Files.createDirectories(tmp.resolve("small-disk"));
    Process p =
        new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=96k", "tmpfs", mount.toString())
            .redirectErrorStream(true)
            .start();
    boolean mounted = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    if (System.getenv("CI") != null) {
      assertTrue(
          mounted,
          "CI runs as root and can mount a tmpfs: "
              + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
    Assumptions.assumeTrue(mounted, "cannot mount a tmpfs here (not root)");
    try {
      Path keep = mount.resolve("keep.txt");
      Files.writeString(keep, "the user's file\n");
      Path out = mount.resolve("out");
      ForgeCall.Outcome o =
          ForgeCall.run(
              "run",
              "decompose",
              "--input",
              FEW_DOCS.toString(),
              "--output",
              out.toString(),
              "--progress-seconds",
              "0",
              "--dd-shard-tokens",
              "0");
      assertOneLineError(o, 1, "No space left on device");
      assertFalse(Files.exists(out.resolve("_SUCCESS")));
      assertFalse(Files.exists(out.resolve(OutputLock.FILE)), "the lock is released");
      assertEquals("the user's file\n", Files.readString(keep), "nothing earlier lost");
    } finally {
      new ProcessBuilder("umount", "-l", mount.toString()).start().waitFor(30, TimeUnit.SECONDS);
    }
  }

  private static Process launch(Path log, String... args) throws IOException {
    return ForgeCall.launch(log, args);
  }

  /** Waits until the child run holds its output's lock: it is past its checks and running. */
  /**
   * Waits until the child run has begun writing records: a file other than its lock in the output.
   */
  private static void awaitWrites(Process run, Path out, Path log) throws Exception {
    Await.until(
        () -> {
          assertTrue(run.isAlive(), () -> "the run ended before it wrote: " + read(log));
          try (Stream<Path> files = Files.walk(out)) {
            return files.anyMatch(
                f ->
                    Files.isRegularFile(f)
                        && !f.getFileName().toString().startsWith(OutputLock.FILE));
          } catch (IOException | java.io.UncheckedIOException e) {
            return false; // no output yet, or a temporary file renamed while listed: look again
          }
        },
        Duration.ofSeconds(180),
        Duration.ofMillis(20),
        () -> "the run began writing");
  }

  private static String read(Path log) {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return e.toString();
    }
  }

  /**
   * A run killed with SIGKILL while it writes leaves its files and its lock: the next run without
   * --overwrite reports the leftover instead of mixing in. --resume takes the dead run's lock over
   * as stale and completes the run with the rows of an uninterrupted one. A run with --overwrite
   * replaces it; while it holds the lock, a third run on the output is refused. That run then gets
   * SIGTERM: it ends, releasing its lock, with no _SUCCESS; --resume then completes it, with the
   * rows of an uninterrupted run.
   */
  @Test
  void killedRunsAreReportedAndReplacedAndTheirLocksDoNotOutliveThem() throws Exception {
    Path out = tmp.resolve("out");
    Path log = tmp.resolve("killed.log");
    Process killed = launch(log, decompose(out, "--parallelism", "1"));
    try {
      awaitWrites(killed, out, log);
      assertTrue(killed.isAlive(), "killed while it writes, not after it ended");
      killed.destroyForcibly(); // SIGKILL
      assertTrue(killed.waitFor(60, TimeUnit.SECONDS));
    } finally {
      killed.destroyForcibly();
    }
    assertTrue(Files.exists(out.resolve(OutputLock.FILE)), "SIGKILL leaves the lock");
    assertFalse(Files.exists(out.resolve("_SUCCESS")));
    assertOneLineError(
        ForgeCall.run(decompose(out)), 2, "of a run that did not finish (no _SUCCESS)");
    // the killed run resumed: its stale lock taken over, and row for row an uninterrupted run
    Path whole = tmp.resolve("whole");
    assertEquals(0, ForgeCall.run(decompose(whole)).exit());
    assertEquals(0, ForgeCall.run(decompose(out, "--parallelism", "1", "--resume")).exit());
    assertComplete(out);
    assertEquals(allRows(whole), allRows(out));

    Path log2 = tmp.resolve("terminated.log");
    Process terminated = launch(log2, decompose(out, "--overwrite"));
    try {
      // the finished run's files are there from the start: wait for this run's pid in the lock and
      // for the old _SUCCESS to be gone (the new run's fingerprint is written before it goes)
      Await.until(
          () -> {
            assertTrue(terminated.isAlive(), () -> "the run ended early: " + read(log2));
            try {
              return Files.readString(out.resolve(OutputLock.FILE))
                      .contains("\"pid\":" + terminated.pid())
                  && !Files.exists(out.resolve("_SUCCESS"));
            } catch (IOException e) {
              return false; // no lock file yet
            }
          },
          Duration.ofSeconds(120),
          () -> "the finished run's output was taken over");
      ForgeCall.Outcome busy = ForgeCall.run(decompose(out, "--overwrite"));
      assertOneLineError(busy, 2, "output " + out + " is in use by run ");
      assertTrue(busy.err().contains("process " + terminated.pid()), busy.err());
      assertTrue(terminated.isAlive(), "stopped mid-run, not after it ended");
      terminated.destroy(); // SIGTERM
      assertTrue(terminated.waitFor(60, TimeUnit.SECONDS));
      assertTrue(
          terminated.exitValue() != 0,
          "a run stopped by SIGTERM does not exit 0: " + terminated.exitValue());
    } finally {
      terminated.destroyForcibly();
    }
    assertFalse(Files.exists(out.resolve("_SUCCESS")));
    assertFalse(
        Files.exists(out.resolve(OutputLock.FILE)),
        "SIGTERM runs the shutdown hook that releases the lock");
    // the stopped run resumed: complete, and row for row what an uninterrupted run writes
    assertEquals(0, ForgeCall.run(decompose(out, "--resume")).exit());
    assertComplete(out);
    assertEquals(allRows(whole), allRows(out));
  }

  /** Every data and reject row of an output, as text, sorted. */
  private static List<String> allRows(Path out) throws IOException {
    List<String> rows = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(out.resolve("data"))) {
      for (Path dir : dirs.sorted().toList()) {
        OutputReader.parquetRows(dir).forEach(r -> rows.add(dir.getFileName() + " " + r));
      }
    }
    OutputReader.parquetRows(out.resolve("rejects")).forEach(r -> rows.add("reject " + r));
    rows.sort(null);
    return rows;
  }

  /**
   * S3 against the README's own S3Proxy server (separate JVM, SigV4 checked; access key "local",
   * secret "local-secret"): missing credentials, a wrong secret and a missing prefix are each one
   * line naming the cause, before any work (exit 2), and nothing is written to the bucket.
   */
  @Test
  void s3WithMissingOrWrongCredentialsIsNamedBeforeAnyWork() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("s3"));
    Files.createDirectories(root.resolve("corpus/in"));
    Files.writeString(root.resolve("corpus/in/a.txt"), "word ".repeat(600));
    try (LocalS3 server = LocalS3.start(Path.of(".."), root);
        AwsCredentialProperties credentials = AwsCredentialProperties.save()) {
      String[] s3 = {
        "--s3-endpoint", server.endpoint(), "--s3-path-style", "--s3-region", "us-east-1"
      };
      credentials.set(null, null);
      assertOneLineError(
          ForgeCall.run(s3Run("s3://corpus/in/", s3)),
          2,
          "input s3://corpus/in/ cannot be read: no AWS credentials found");
      credentials.set(LocalS3.KEY, "not-the-secret");
      ForgeCall.Outcome wrong = ForgeCall.run(s3Run("s3://corpus/in/", s3));
      assertOneLineError(wrong, 2, "input s3://corpus/in/ cannot be read: ");
      assertTrue(
          wrong.err().contains("403")
              || wrong.err().toLowerCase(java.util.Locale.ROOT).contains("signature"),
          wrong.err());
      credentials.set(LocalS3.KEY, LocalS3.SECRET);
      assertOneLineError(
          ForgeCall.run(s3Run("s3://corpus/nothing/", s3)),
          2,
          "input s3://corpus/nothing/ matches no file");
      try (Stream<Path> files = Files.walk(root.resolve("corpus"))) {
        assertEquals(
            List.of(root.resolve("corpus/in/a.txt")),
            files.filter(Files::isRegularFile).toList(),
            "nothing written to the bucket");
      }
    }
  }

  private static String[] s3Run(String input, String[] s3) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "run",
                "decompose",
                "--runner",
                "direct",
                "--input",
                input,
                "--output",
                "s3://corpus/out",
                "--progress-seconds",
                "0"));
    args.addAll(List.of(s3));
    return args.toArray(String[]::new);
  }
}
