package dev.corpusforge.pipelines.run;

import java.lang.management.ManagementFactory;

/**
 * When the command being run started: the JVM's start for its first command, or, in a JVM kept
 * between runs (the daemon), when the run was handed to it, or else when {@code Forge.execute} was
 * called (a test or a bench running several commands in one JVM). A run's {@code start-up} time
 * counts from here.
 */
public final class CommandStart {
  private static final long UNSET = -1;
  private static long millis = ManagementFactory.getRuntimeMXBean().getStartTime();

  private CommandStart() {}

  /** The command starts now. */
  public static void now() {
    at(System.currentTimeMillis());
  }

  /** The command started at {@code epochMillis} (ms since the epoch). */
  public static synchronized void at(long epochMillis) {
    millis = epochMillis;
  }

  /** The command starts now, unless its start is already known (the JVM's, or the daemon's). */
  public static synchronized void nowUnlessKnown() {
    if (millis == UNSET) {
      now();
    }
  }

  /** The start of the command now running; the next command marks its own. */
  static synchronized long take() {
    long start = millis == UNSET ? System.currentTimeMillis() : millis;
    millis = UNSET;
    return start;
  }
}
