package dev.corpusforge.pipelines.run;

import java.lang.management.ManagementFactory;

/**
 * When the command being run started: the JVM's start, or, in a JVM kept between runs (the daemon),
 * when the run was handed to it. A run's {@code start-up} time counts from here.
 */
public final class CommandStart {
  private static final long JVM_START = ManagementFactory.getRuntimeMXBean().getStartTime();
  private static volatile long millis = JVM_START;

  private CommandStart() {}

  /** The command starts now. */
  public static synchronized void now() {
    millis = System.currentTimeMillis();
  }

  /**
   * The start of the command now running; a run that follows without {@link #now} counts from the
   * JVM's.
   */
  static synchronized long take() {
    long start = millis;
    millis = JVM_START;
    return start;
  }
}
