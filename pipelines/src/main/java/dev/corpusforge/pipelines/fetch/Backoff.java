package dev.corpusforge.pipelines.fetch;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Retries with exponential backoff for the HTTP clients (image fetching, LLM endpoints): attempt 0
 * runs at once; before attempt n the wait is {@code baseMillis · 2^(n−1)} plus up to half of {@code
 * baseMillis} of jitter (seeded, so reruns wait alike), or what the server asked for ({@code
 * Retry-After}) when that is longer, capped at {@link #MAX_WAIT_MILLIS}.
 */
public final class Backoff {
  static final long MAX_WAIT_MILLIS = 60_000;

  /**
   * An attempt's result, whether to try again, and how long the server asked to wait (0: no say).
   */
  public record Attempt<T>(T result, boolean retryable, long retryAfterMillis) {
    public static <T> Attempt<T> done(T result) {
      return new Attempt<>(result, false, 0);
    }

    public static <T> Attempt<T> retry(T result, long retryAfterMillis) {
      return new Attempt<>(result, true, retryAfterMillis);
    }
  }

  /** What a run of attempts ended with; {@code attempts} made. */
  public record Outcome<T>(T result, boolean exhausted, int attempts, boolean interrupted) {}

  public interface Call<T> {
    Attempt<T> attempt(int n);
  }

  private Backoff() {}

  public static <T> Outcome<T> run(int retries, long baseMillis, long jitterSeed, Call<T> call) {
    SplittableRandom jitter = new SplittableRandom(jitterSeed);
    Attempt<T> last = null;
    for (int n = 0; n <= retries; n++) {
      if (n > 0) {
        long wait =
            baseMillis * (1L << Math.min(n - 1, 10))
                + jitter.nextLong(Math.max(1, baseMillis / 2 + 1));
        if (!sleep(Math.min(MAX_WAIT_MILLIS, Math.max(wait, last.retryAfterMillis())))) {
          return new Outcome<>(last.result(), false, n, true);
        }
      }
      last = call.attempt(n);
      if (!last.retryable()) {
        return new Outcome<>(last.result(), false, n + 1, false);
      }
    }
    return new Outcome<>(last.result(), true, retries + 1, false);
  }

  private static boolean sleep(long millis) {
    try {
      TimeUnit.MILLISECONDS.sleep(millis);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
