package dev.corpusforge.pipelines.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corpusforge.pipelines.run.OutputLock;
import dev.corpusforge.pipelines.testing.Await;
import dev.corpusforge.pipelines.testing.OutputReader;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
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
    Process daemon = start(work, socket, 600);
    try {
      // a relative output is the client's working directory's
      Outcome first = run(socket, work, System.getenv(), null, decompose(FEW_DOCS, "first"));
      assertEquals(0, first.code(), first.err());
      assertTrue(first.out().contains("accounting balanced"), first.out());
      assertTrue(Files.exists(work.resolve("first/_SUCCESS")));
      Outcome second = run(socket, work, System.getenv(), null, decompose(FEW_DOCS, "second"));
      assertEquals(0, second.code(), second.err());
      List<String> firstRows = rows(work.resolve("first"));
      assertTrue(firstRows.size() > 10, firstRows.toString());
      assertEquals(firstRows, rows(work.resolve("second")));

      Outcome usage =
          run(socket, work, System.getenv(), null, decompose(work.resolve("no-such"), "third"));
      assertEquals(2, usage.code(), usage.out());
      assertTrue(usage.err().contains("no-such") && usage.err().contains("does not exist"));

      Map<String, String> otherEnv = new HashMap<>(System.getenv());
      otherEnv.put("CORPUSFORGE_OTHER_SETTING", "1");
      Outcome other = run(socket, work, otherEnv, null, decompose(FEW_DOCS, "fourth"));
      assertEquals(DaemonProtocol.REFUSED_HERE, other.code());
      assertTrue(other.err().contains("CORPUSFORGE_OTHER_SETTING differs"), other.err());
      Outcome elsewhere = run(socket, tmp, System.getenv(), null, decompose(FEW_DOCS, "fourth"));
      assertEquals(DaemonProtocol.REFUSED_HERE, elsewhere.code());
      assertTrue(elsewhere.err().contains("serves runs in"), elsewhere.err());
      assertFalse(Files.exists(work.resolve("fourth")) || Files.exists(tmp.resolve("fourth")));

      // a run in progress: another client is refused, not queued
      CountDownLatch started = new CountDownLatch(1);
      Outcome[] fifth = new Outcome[1];
      Thread busyRun =
          new Thread(
              () -> {
                try {
                  fifth[0] =
                      run(socket, work, System.getenv(), started, decompose(FEW_DOCS, "fifth"));
                } catch (IOException e) {
                  throw new RuntimeException(e);
                }
              });
      busyRun.start();
      assertTrue(started.await(120, TimeUnit.SECONDS), "the run started");
      Outcome busy = run(socket, work, System.getenv(), null, decompose(FEW_DOCS, "sixth"));
      assertEquals(DaemonProtocol.REFUSED_HERE, busy.code());
      assertTrue(busy.err().contains("busy"), busy.err());
      busyRun.join(120_000);
      assertEquals(0, fifth[0].code(), fifth[0].err());

      List<String> status = new DaemonDirectory(sockets).status();
      assertEquals(1, status.size(), status.toString());
      assertTrue(status.get(0).startsWith("d.sock: pid " + daemon.pid()), status.get(0));
      assertTrue(status.get(0).contains(" 4 runs, idle"), status.get(0));

      // the client of a run ends (Ctrl-C): the daemon ends as that run's JVM would, lock released
      Path seventh = work.resolve("seventh");
      try (SocketChannel client = DaemonClient.connect(socket, 10)) {
        DataOutputStream request = new DataOutputStream(DaemonProtocol.output(client));
        request.writeInt(DaemonProtocol.VERSION);
        DaemonProtocol.writeString(request, DaemonProtocol.RUN);
        DaemonProtocol.writeString(request, work.toString());
        request.writeInt(System.getenv().size());
        for (Map.Entry<String, String> e : System.getenv().entrySet()) {
          DaemonProtocol.writeString(request, e.getKey());
          DaemonProtocol.writeString(request, e.getValue());
        }
        String[] args = decompose(DOCS, seventh.toString());
        request.writeInt(args.length);
        for (String a : args) {
          DaemonProtocol.writeString(request, a);
        }
        request.flush();
        Await.until(
            () -> Files.exists(seventh.resolve(OutputLock.FILE)),
            Duration.ofSeconds(60),
            () -> "the run holds its output's lock");
      }
      assertTrue(daemon.waitFor(60, TimeUnit.SECONDS), "the daemon ended with its client");
      assertEquals(130, daemon.exitValue());
      assertFalse(Files.exists(seventh.resolve(OutputLock.FILE)), "the lock is released");
      assertFalse(Files.exists(seventh.resolve("_SUCCESS")));
      assertFalse(Files.exists(socket), "the socket is removed");
    } finally {
      daemon.destroyForcibly();
    }

    Process idle = start(work, sockets.resolve("idle.sock"), 1);
    Process asked = start(work, sockets.resolve("asked.sock"), 600);
    try {
      assertTrue(idle.waitFor(60, TimeUnit.SECONDS), "an idle daemon ends by itself");
      assertEquals(0, idle.exitValue());
      assertFalse(Files.exists(sockets.resolve("idle.sock")));
      assertEquals(List.of("asked.sock: stopping"), new DaemonDirectory(sockets).stop());
      assertTrue(asked.waitFor(60, TimeUnit.SECONDS), "a daemon asked to stop ends");
      assertEquals(0, asked.exitValue());
      assertTrue(Files.readString(sockets.resolve("asked.sock.log")).contains("asked to stop"));
    } finally {
      idle.destroyForcibly();
      asked.destroyForcibly();
    }
  }

  private static String[] decompose(Path input, String output) {
    return new String[] {
      "run", "decompose", "--input", input.toString(), "--output", output, "--progress-seconds", "0"
    };
  }

  /** A daemon as bin/forge starts it, listening once this returns. */
  private static Process start(Path cwd, Path socket, int idleSeconds) throws Exception {
    Path log = Path.of(socket + ".log");
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g",
                "-XX:+UseParallelGC",
                // as the test JVMs: C1 alone, for short runs
                "-XX:TieredStopAtLevel=1",
                "-Djava.awt.headless=true",
                "-cp",
                System.getProperty("java.class.path"),
                ForgeDaemon.class.getName(),
                socket.toString(),
                String.valueOf(idleSeconds),
                log.toString())
            .directory(cwd.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    Await.until(
        () -> Files.exists(socket) || !p.isAlive(),
        Duration.ofSeconds(60),
        () -> "the daemon listens at " + socket);
    assertTrue(p.isAlive(), () -> "the daemon started: " + readQuietly(log));
    return p;
  }

  /** A client as bin/forge runs it; {@code started} counts down at the run's first output. */
  private static Outcome run(
      Path socket, Path cwd, Map<String, String> env, CountDownLatch started, String... args)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    OutputStream watchedOut =
        new OutputStream() {
          @Override
          public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
          }

          @Override
          public synchronized void write(byte[] b, int off, int len) {
            out.write(b, off, len);
            if (started != null) {
              started.countDown();
            }
          }
        };
    int code = DaemonClient.run(socket, 10, "the log", args, cwd.toString(), env, watchedOut, err);
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

  private static String readQuietly(Path log) {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log)";
    }
  }
}
