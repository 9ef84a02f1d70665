package dev.corpusforge.pipelines.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/** Waiting on a condition with a deadline, instead of sleeping for a guessed time. */
public final class Await {
  private Await() {}

  /**
   * A condition looked at again and again; it may fail the test itself (an assertion) when waiting
   * is pointless.
   */
  public interface Check {
    boolean holds() throws Exception;
  }

  /**
   * Looks every 50 ms until {@code check} holds; fails, naming {@code what}, once {@code within}
   * has passed.
   */
  public static void until(Check check, Duration within, Supplier<String> what) throws Exception {
    until(check, within, Duration.ofMillis(50), what);
  }

  /** As {@link #until(Check, Duration, Supplier)}, looking every {@code every}. */
  public static void until(Check check, Duration within, Duration every, Supplier<String> what)
      throws Exception {
    Instant end = Instant.now().plus(within);
    while (!check.holds()) {
      if (Instant.now().isAfter(end)) {
        throw new AssertionError("not within " + within.toSeconds() + " s: " + what.get());
      }
      Thread.sleep(every.toMillis());
    }
  }
}
