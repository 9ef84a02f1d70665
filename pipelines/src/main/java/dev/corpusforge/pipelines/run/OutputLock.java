package dev.corpusforge.pipelines.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corpusforge.core.output.OutputLayout;
import dev.corpusforge.core.output.StatsLines;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The lock a run holds on its output ({@code OUT/_LOCK}) from before it looks at the output until
 * it exits, so two runs never write one output at once. It names its holder (run id, process id,
 * host) and is rewritten every {@link #HEARTBEAT} while held. A lock is stale — and taken over —
 * when its process is gone from this host, or when it has not been rewritten for {@link #STALE} (a
 * holder on another machine that died). On a local file system the lock is created atomically; on
 * an object store it is written, then read back to check that this run's write won.
 */
public final class OutputLock implements AutoCloseable {
  /** The lock's file name ({@link OutputLayout#lock()}). */
  public static final String FILE = "_LOCK";

  /** The next version of a local lock, written whole, then moved over it. */
  private static final String NEXT = FILE + ".next";

  static final Duration HEARTBEAT = Duration.ofSeconds(30);
  static final Duration STALE = Duration.ofMinutes(3);

  private final String path;
  private final String runId;
  private final ObjectNode content;
  private final ScheduledExecutorService heartbeat;
  private final Thread onExit;
  private volatile boolean released;

  private OutputLock(String path, String runId, ObjectNode content) {
    this.path = path;
    this.runId = runId;
    this.content = content;
    this.heartbeat =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "output-lock-heartbeat");
              t.setDaemon(true);
              return t;
            });
    heartbeat.scheduleAtFixedRate(
        this::refresh, HEARTBEAT.toSeconds(), HEARTBEAT.toSeconds(), TimeUnit.SECONDS);
    // SIGTERM and Ctrl-C end the JVM through its shutdown hooks: the lock goes with the run
    this.onExit = new Thread(this::release, "output-lock-release");
    Runtime.getRuntime().addShutdownHook(onExit);
  }

  /**
   * Refused: another live run holds the output (exit 2, as for any output the user must change).
   */
  public static final class Busy extends IllegalArgumentException {
    Busy(String message) {
      super(message);
    }
  }

  /**
   * Whether a file of an output is the lock's (to be left alone by whoever looks at the output's
   * files).
   */
  public static boolean isLockFile(String fileName) {
    return FILE.equals(fileName) || NEXT.equals(fileName);
  }

  /**
   * Takes the lock on {@code layout}'s output for run {@code runId}.
   *
   * @throws Busy when another live run holds it (the message names that run)
   * @throws IOException when the output cannot be written at all (the message names the cause)
   */
  public static OutputLock acquire(OutputLayout layout, String runId) throws IOException {
    String path = layout.lock();
    ObjectNode content = StatsLines.JSON.createObjectNode();
    content
        .put("run_id", runId)
        .put("pid", ProcessHandle.current().pid())
        .put("host", host())
        .put("started_at", Instant.now().toString());
    for (int attempt = 0; attempt < 2; attempt++) {
      JsonNode held = read(path);
      if (held != null) {
        if (!stale(held)) {
          throw new Busy(
              "output "
                  + layout.root()
                  + " is in use by run "
                  + held.path("run_id").asText()
                  + " (process "
                  + held.path("pid").asText()
                  + " on "
                  + held.path("host").asText()
                  + ", started "
                  + held.path("started_at").asText()
                  + "); wait for it to end, or choose another --output (if no such run is going on, remove "
                  + path
                  + ")");
        }
        OutputFiles.delete(path);
      }
      if (create(path, content)) {
        return new OutputLock(path, runId, content);
      }
    }
    throw new Busy(
        "output "
            + layout.root()
            + " is being locked by another run at the same moment; try again");
  }

  /**
   * Whether a lock someone else wrote is stale: its process has ended on this host, or nobody
   * renewed it for {@link #STALE}.
   */
  static boolean stale(JsonNode held) {
    if (host().equals(held.path("host").asText())) {
      return !ProcessHandle.of(held.path("pid").asLong()).map(ProcessHandle::isAlive).orElse(false);
    }
    Instant updated =
        Instant.parse(
            held.path("updated_at")
                .asText(held.path("started_at").asText(Instant.EPOCH.toString())));
    return Duration.between(updated, Instant.now()).compareTo(STALE) > 0;
  }

  private static boolean create(String path, ObjectNode content) throws IOException {
    content.put("updated_at", Instant.now().toString());
    String json = StatsLines.JSON.writeValueAsString(content) + "\n";
    Path local = OutputFiles.localPath(path);
    if (local != null) {
      Files.createDirectories(local.toAbsolutePath().getParent());
      try {
        Files.createFile(local);
      } catch (FileAlreadyExistsException e) {
        return false;
      }
      try {
        Files.writeString(local, json, StandardCharsets.UTF_8);
      } catch (IOException e) {
        // a full disk: leave no empty lock behind to block the next run
        Files.deleteIfExists(local);
        throw e;
      }
      return true;
    }
    OutputFiles.writeString(path, json, "application/json");
    JsonNode back = read(path);
    return back != null && content.path("run_id").asText().equals(back.path("run_id").asText());
  }

  private static JsonNode read(String path) throws IOException {
    java.util.List<org.apache.beam.sdk.io.fs.MatchResult.Metadata> match = OutputFiles.match(path);
    if (match.isEmpty()) {
      return null;
    }
    try {
      return StatsLines.JSON.readTree(OutputFiles.readString(path));
    } catch (IOException e) {
      // cut short by a crash while it was written, or gone meanwhile: its holder cannot be named,
      // so it counts as held until it is as old as a stale lock
      return StatsLines.JSON
          .createObjectNode()
          .put("run_id", "?")
          .put("pid", -1)
          .put("host", "?")
          .put("started_at", "?")
          .put("updated_at", Instant.ofEpochMilli(match.get(0).lastModifiedMillis()).toString());
    }
  }

  private void refresh() {
    if (released) {
      return;
    }
    try {
      content.put("updated_at", Instant.now().toString());
      String json = StatsLines.JSON.writeValueAsString(content) + "\n";
      Path local = OutputFiles.localPath(path);
      if (local == null) {
        OutputFiles.writeString(path, json, "application/json");
      } else {
        // replaced whole, never seen half written
        Path next = local.resolveSibling(NEXT);
        Files.writeString(next, json, StandardCharsets.UTF_8);
        Files.move(
            next,
            local,
            java.nio.file.StandardCopyOption.REPLACE_EXISTING,
            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (IOException | RuntimeException e) {
      // the next beat tries again; a lock is only taken over after several missed beats
    }
  }

  static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }

  /** Removes the lock if it is still this run's. */
  public synchronized void release() {
    if (released) {
      return;
    }
    released = true;
    heartbeat.shutdownNow();
    try {
      JsonNode held = read(path);
      if (held != null && runId.equals(held.path("run_id").asText())) {
        OutputFiles.delete(path);
      }
    } catch (IOException | RuntimeException e) {
      // a lock left behind is stale once this process has ended
    }
  }

  @Override
  public void close() {
    release();
    try {
      Runtime.getRuntime().removeShutdownHook(onExit);
    } catch (IllegalStateException e) {
      // already shutting down
    }
  }
}
