package dev.corpusforge.pipelines.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corpusforge.pipelines.run.CommandStart;
import dev.corpusforge.pipelines.run.OutputLock;
import dev.corpusforge.pipelines.testing.Await;
import dev.corpusforge.pipelines.testing.OutputReader;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@link ForgeDaemon} in a JVM of its own, as {@code bin/forge} starts it, and its clients in
 * this one: runs give their output, exit code and rows as a run in a fresh JVM does, and the daemon
 * refuses what it must not serve, stops when its client ends, when idle and when asked.
 */
class ForgeDaemonIT {
  static final Path DOCS =
      Path.of("..", "samples", "decompose", "docs").toAbsolutePath().normalize();
  static final Path FEW_DOCS = DOCS.resolve("admin-guide");

  @TempDir Path tmp;

  /**
   * As on the command line, forge is this JVM's first user of logging (the Parquet reader below
   * would be otherwise), so its console settings apply to the classes run after this one.
   */
  @org.junit.jupiter.api.BeforeAll
  static void forgeFirst() {
    assertEquals(0, dev.corpusforge.pipelines.testing.ForgeCall.run("--version").exit());
  }

  record Outcome(int code, String out, String err) {}

  @Test
  void runsInAWarmJvmAsInItsOwnAndStopsWhenItsClientEnds() throws Exception {
    Path sockets = Files.createDirectory(tmp.resolve("sockets"));
    Path work = Files.createDirectory(tmp.resolve("work"));
    Path socket = sockets.resolve("d.sock");
    // the daemon's working directory is this JVM's: the clients' must be the same
    Path here = Path.of(System.getProperty("user.dir"));
    java.io.PrintStream savedOut = System.out;
    java.io.PrintStream savedErr = System.err;
    RoutedStream out = new RoutedStream(savedOut);
    RoutedStream err = new RoutedStream(savedErr);
    System.setOut(new java.io.PrintStream(out, true));
    System.setErr(new java.io.PrintStream(err, true));
    try {
      Daemon daemon = start(socket, 600, out, err);
      Outcome first =
          run(socket, here, System.getenv(), decompose(FEW_DOCS, work.resolve("first")));
      assertEquals(0, first.code(), first.err());
      assertTrue(first.out().contains("accounting balanced"), first.out());
      assertTrue(Files.exists(work.resolve("first/_SUCCESS")));
      // a start this JVM knew from before (as a daemon's first run knows the JVM's): the daemon's
      // own mark when it takes the run must replace it
      CommandStart.at(1_000L);
      long handed = System.nanoTime();
      Outcome second =
          run(socket, here, System.getenv(), decompose(FEW_DOCS, work.resolve("second")));
      double clientSeconds = (System.nanoTime() - handed) / 1e9;
      assertEquals(0, second.code(), second.err());
      // the run's phases count from when it was handed to the daemon, not from the JVM's start
      double phases = 0;
      for (com.fasterxml.jackson.databind.JsonNode t :
          new com.fasterxml.jackson.databind.ObjectMapper()
              .readTree(work.resolve("second/manifest.json").toFile())
              .path("metrics")
              .path("timings_seconds")) {
        phases += t.asDouble();
      }
      assertTrue(phases > 0 && phases <= clientSeconds + 0.01, phases + " s in " + clientSeconds);
      List<String> firstRows = rows(work.resolve("first"));
      assertTrue(firstRows.size() > 10, firstRows.toString());
      assertEquals(firstRows, rows(work.resolve("second")));

      Outcome usage =
          run(
              socket,
              here,
              System.getenv(),
              decompose(work.resolve("no-such"), work.resolve("third")));
      assertEquals(2, usage.code(), usage.out());
      assertTrue(usage.err().contains("no-such") && usage.err().contains("does not exist"));

      Map<String, String> otherEnv = new HashMap<>(System.getenv());
      otherEnv.put("CORPUSFORGE_OTHER_SETTING", "1");
      Outcome other = run(socket, here, otherEnv, decompose(FEW_DOCS, work.resolve("fourth")));
      assertEquals(DaemonProtocol.REFUSED_HERE, other.code());
      assertTrue(other.err().contains("CORPUSFORGE_OTHER_SETTING differs"), other.err());
      Outcome elsewhere =
          run(socket, tmp, System.getenv(), decompose(FEW_DOCS, work.resolve("fourth")));
      assertEquals(DaemonProtocol.REFUSED_HERE, elsewhere.code());
      assertTrue(elsewhere.err().contains("serves runs in"), elsewhere.err());
      assertFalse(Files.exists(work.resolve("fourth")));

      List<String> status = new DaemonDirectory(sockets).status();
      assertEquals(1, status.size(), status.toString());
      assertTrue(status.get(0).startsWith("d.sock: pid " + ProcessHandle.current().pid()));
      assertTrue(status.get(0).contains(" 3 runs, idle"), status.get(0));

      // a run in progress: another client is refused, not queued; then the first client ends
      // (Ctrl-C) and the daemon stops as that run's JVM would
      Path fifth = work.resolve("fifth");
      try (SocketChannel client = DaemonClient.connect(socket, 10)) {
        DataOutputStream request = new DataOutputStream(DaemonProtocol.output(client));
        DaemonProtocol.writeRunRequest(
            request, here.toString(), System.getenv(), decompose(FEW_DOCS, fifth));
        request.flush();
        Await.until(
            () -> Files.exists(fifth.resolve(OutputLock.FILE)),
            Duration.ofSeconds(60),
            () -> "the run holds its output's lock");
        Outcome busy =
            run(socket, here, System.getenv(), decompose(FEW_DOCS, work.resolve("sixth")));
        assertEquals(DaemonProtocol.REFUSED_HERE, busy.code());
        assertTrue(busy.err().contains("busy"), busy.err());
        assertFalse(Files.exists(work.resolve("sixth")));
      }
      assertEquals(130, daemon.stopped().get(60, TimeUnit.SECONDS));
      assertFalse(Files.exists(socket), "the socket is removed");
      // in this JVM, which does not end, the run goes on: wait for it
      Await.until(
          () -> !daemon.daemon().runInProgress(),
          Duration.ofSeconds(120),
          () -> "the run in progress ended");

      Daemon idle = start(sockets.resolve("idle.sock"), 1, out, err);
      Daemon asked = start(sockets.resolve("asked.sock"), 600, out, err);
      assertEquals(0, idle.stopped().get(60, TimeUnit.SECONDS), "an idle daemon stops by itself");
      assertFalse(Files.exists(sockets.resolve("idle.sock")));
      assertEquals(List.of("asked.sock: stopping"), new DaemonDirectory(sockets).stop());
      assertEquals(0, asked.stopped().get(60, TimeUnit.SECONDS), "a daemon asked to stop");
    } finally {
      System.setOut(savedOut);
      System.setErr(savedErr);
    }
  }

  record Daemon(ForgeDaemon daemon, java.util.concurrent.CompletableFuture<Integer> stopped) {}

  /** A daemon in this JVM, listening once this returns; its end recorded, not the JVM's. */
  private static Daemon start(Path socket, int idleSeconds, RoutedStream out, RoutedStream err)
      throws Exception {
    java.util.concurrent.CompletableFuture<Integer> stopped =
        new java.util.concurrent.CompletableFuture<>();
    ForgeDaemon daemon =
        new ForgeDaemon(
            socket,
            Path.of(socket + ".log"),
            Duration.ofSeconds(idleSeconds),
            out,
            err,
            stopped::complete);
    Thread serving =
        new Thread(
            () -> {
              try {
                daemon.serve();
              } catch (IOException e) {
                stopped.completeExceptionally(e);
              }
            },
            "daemon-under-test");
    serving.setDaemon(true);
    serving.start();
    Await.until(
        () -> Files.exists(socket) || stopped.isDone(),
        Duration.ofSeconds(60),
        () -> "the daemon listens at " + socket);
    assertFalse(stopped.isDone(), "the daemon serves");
    return new Daemon(daemon, stopped);
  }

  private static String[] decompose(Path input, Path output) {
    return new String[] {
      "run",
      "decompose",
      "--input",
      input.toString(),
      "--output",
      output.toString(),
      "--progress-seconds",
      "0"
    };
  }

  /** A client as bin/forge runs it. */
  private static Outcome run(Path socket, Path cwd, Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = DaemonClient.run(socket, 10, "the log", args, cwd.toString(), env, out, err);
    return new Outcome(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Every data row (each length partition's) and reject row of a decompose output, sorted. */
  private static List<String> rows(Path output) throws IOException {
    java.util.List<String> all = new java.util.ArrayList<>();
    List<Path> parts;
    try (var dirs = Files.list(output.resolve("data"))) {
      parts = dirs.sorted().toList();
    }
    for (Path part : parts) {
      OutputReader.parquetRows(part).forEach(r -> all.add(part.getFileName() + " " + describe(r)));
    }
    OutputReader.parquetRows(output.resolve("rejects"))
        .forEach(r -> all.add("rejects " + describe(r)));
    java.util.Collections.sort(all);
    return all;
  }

  private static String describe(Map<String, Object> row) {
    StringBuilder s = new StringBuilder();
    new java.util.TreeMap<>(row)
        .forEach(
            (k, v) ->
                s.append(k)
                    .append('=')
                    .append(v instanceof byte[] b ? java.util.Arrays.toString(b) : v)
                    .append(';'));
    return s.toString();
  }
}
