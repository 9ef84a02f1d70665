package dev.corpusforge.pipelines.schedule;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A launcher for scheduler tests: records each call, fails the calls it is told to, can take its
 * time.
 */
final class RecordingLauncher implements RunLauncher {
  record Call(List<String> files, String output, Instant started, Instant finished) {}

  final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
  private final List<Boolean> failures;
  private final long millis;
  private int active;
  volatile boolean overlapped;

  /** When set, each call adds a file here, so the next firing finds new input. */
  volatile Path grow;

  /**
   * @param failures whether the first calls fail, in order; later calls succeed
   */
  RecordingLauncher(long millis, Boolean... failures) {
    this.millis = millis;
    this.failures = List.of(failures);
  }

  @Override
  public Ending launch(ScheduledJob job, List<String> inputFiles, String runOutput, Path log)
      throws InterruptedException {
    Instant started = Instant.now();
    int n;
    synchronized (this) {
      n = calls.size() + active;
      if (++active > 1) {
        overlapped = true;
      }
    }
    try {
      Thread.sleep(millis);
    } finally {
      synchronized (this) {
        active--;
      }
    }
    if (grow != null) {
      try {
        java.nio.file.Files.writeString(grow.resolve("added-" + n + ".jsonl"), "{}");
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    calls.add(new Call(List.copyOf(inputFiles), runOutput, started, Instant.now()));
    boolean fail = n < failures.size() && failures.get(n);
    return fail
        ? Ending.failed("failure " + n + " as told")
        : new Ending(true, inputFiles.size(), inputFiles.size(), 0, null);
  }
}
