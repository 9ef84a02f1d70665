package dev.corpusforge.core.output;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * Console progress for runs in this JVM (Direct and embedded Flink): records read, kept, rejected,
 * rate and elapsed time, printed every few seconds. The counts come from pass-through steps at the
 * read, kept and reject points of a pipeline; on a remote cluster the workers count in their own
 * JVMs and the Flink web UI shows progress instead.
 */
public final class ProgressMeter implements AutoCloseable {
  public static final String READ = "read";
  public static final String KEPT = "kept";
  public static final String REJECTED = "rejected";

  private static final AtomicLong READ_COUNT = new AtomicLong();
  private static final AtomicLong KEPT_COUNT = new AtomicLong();
  private static final AtomicLong REJECTED_COUNT = new AtomicLong();
  private static final AtomicLong PROCESSED_COUNT = new AtomicLong();

  private final Thread thread;
  private final long startNanos = System.nanoTime();
  private final PrintStream out;

  private ProgressMeter(PrintStream out, long intervalMillis) {
    this.out = out;
    READ_COUNT.set(0);
    KEPT_COUNT.set(0);
    REJECTED_COUNT.set(0);
    PROCESSED_COUNT.set(0);
    thread =
        new Thread(
            () -> {
              try {
                while (!Thread.currentThread().isInterrupted()) {
                  TimeUnit.MILLISECONDS.sleep(intervalMillis);
                  out.println(line());
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "corpusforge-progress");
    thread.setDaemon(true);
  }

  /** Starts printing to {@code out} every {@code intervalMillis}. */
  public static ProgressMeter start(PrintStream out, long intervalMillis) {
    ProgressMeter meter = new ProgressMeter(out, intervalMillis);
    meter.thread.start();
    return meter;
  }

  /** The current line: read, kept, rejected, rate, elapsed. */
  public String line() {
    double seconds = Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
    long read = READ_COUNT.get();
    long done = KEPT_COUNT.get() + REJECTED_COUNT.get();
    long processed = PROCESSED_COUNT.get();
    return String.format(
        Locale.ROOT,
        "[progress] read %d%s  kept %d  rejected %d  done %.0f/s  elapsed %s",
        read,
        processed > 0 ? "  processed " + processed : "",
        KEPT_COUNT.get(),
        REJECTED_COUNT.get(),
        done / seconds,
        elapsed(seconds));
  }

  static String elapsed(double seconds) {
    long s = (long) seconds;
    return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
  }

  @Override
  public void close() {
    thread.interrupt();
  }

  /**
   * Counts one record through a pipeline's slow step, called from inside that step: on Flink's
   * batch runner the kept and rejected counts downstream may only move when the step has finished
   * (its output is materialised before branches rejoin), so this one shows the work.
   */
  public static void processed() {
    PROCESSED_COUNT.incrementAndGet();
  }

  /** A pass-through step that counts elements into one of the meter's counters. */
  public static <T> PTransform<PCollection<T>, PCollection<T>> count(String which) {
    return new PTransform<>() {
      @Override
      public PCollection<T> expand(PCollection<T> input) {
        return input
            .apply("Count " + which, ParDo.of(new CountFn<T>(which)))
            .setCoder(input.getCoder());
      }
    };
  }

  static final class CountFn<T> extends DoFn<T, T> {
    private final String which;

    CountFn(String which) {
      this.which = which;
    }

    @ProcessElement
    public void process(@Element T element, OutputReceiver<T> out) {
      counter(which).incrementAndGet();
      out.output(element);
    }
  }

  private static AtomicLong counter(String which) {
    return switch (which) {
      case READ -> READ_COUNT;
      case KEPT -> KEPT_COUNT;
      default -> REJECTED_COUNT;
    };
  }
}
