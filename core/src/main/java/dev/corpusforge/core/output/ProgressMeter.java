package dev.corpusforge.core.output;

import dev.corpusforge.core.StageWatch;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * Console progress of a run: records read, kept, rejected, the rate and the elapsed time, printed
 * every few seconds. The counts are Beam counters in namespace {@value #NAMESPACE} ({@link
 * #count}), incremented by pass-through steps at a pipeline's read, kept and reject points, so they
 * come from wherever the workers run; a {@link Source} reads them while the run goes on (the Direct
 * runner's pipeline result, Flink's REST API on embedded Flink and on a cluster) and from the
 * pipeline result when it ends.
 */
public final class ProgressMeter implements AutoCloseable {
  public static final String NAMESPACE = "progress";
  public static final String READ = "read";
  public static final String KEPT = "kept";
  public static final String REJECTED = "rejected";

  /** The counts at one moment; {@code note} says what else runs (a stage's name), or is empty. */
  public record Counts(long read, long kept, long rejected, String note) {
    public static final Counts NONE = new Counts(0, 0, 0, "");
  }

  /** Where the counts of a running pipeline are read; may throw when they cannot be read now. */
  public interface Source {
    Counts poll() throws Exception;
  }

  private final Thread thread;
  private final long startNanos = System.nanoTime();
  private volatile Counts last = Counts.NONE;

  private ProgressMeter(PrintStream out, long intervalMillis, Supplier<Source> source) {
    thread =
        new Thread(
            () -> {
              try {
                while (!Thread.currentThread().isInterrupted()) {
                  TimeUnit.MILLISECONDS.sleep(intervalMillis);
                  Source s = source.get();
                  if (s == null) {
                    continue;
                  }
                  try {
                    last = s.poll();
                  } catch (InterruptedException e) {
                    throw e;
                  } catch (Exception e) {
                    // the counts cannot be read at this moment (a job not listed yet, an ended
                    // cluster): print what was last read
                  }
                  out.println(line(last) + slowest());
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "corpusforge-progress");
    thread.setDaemon(true);
  }

  /**
   * Starts printing to {@code out} every {@code intervalMillis} the counts read from the source
   * {@code source} gives at that moment (none while it gives null: a run not started).
   */
  public static ProgressMeter start(PrintStream out, long intervalMillis, Supplier<Source> source) {
    ProgressMeter meter = new ProgressMeter(out, intervalMillis, source);
    meter.thread.start();
    return meter;
  }

  /** The last counts read. */
  public Counts last() {
    return last;
  }

  /** A line for {@code counts}: read, kept, rejected, rate, elapsed, and the note. */
  public String line(Counts counts) {
    double seconds = Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
    long done = counts.kept() + counts.rejected();
    return String.format(
        Locale.ROOT,
        "[progress] read %d  kept %d  rejected %d  done %.0f/s  elapsed %s%s",
        counts.read(),
        counts.kept(),
        counts.rejected(),
        done / seconds,
        elapsed(seconds),
        counts.note().isEmpty() ? "" : "  " + counts.note());
  }

  /** Seconds in one stage after which a record is named in the progress lines. */
  static final double SLOW_SECONDS = 10;

  /**
   * The records of this JVM (an embedded run's workers) longest in their stage, when they have been
   * there {@link #SLOW_SECONDS} or more: {@code slowest: image 3f9c…e1 (42 s), …}.
   */
  static String slowest() {
    StringBuilder sb = new StringBuilder();
    for (StageWatch.Running r : StageWatch.slowest(3)) {
      if (r.seconds() < SLOW_SECONDS) {
        break;
      }
      sb.append(sb.length() == 0 ? "  slowest: " : ", ")
          .append(r.stage())
          .append(' ')
          .append(r.sampleId())
          .append(String.format(Locale.ROOT, " (%.0f s)", r.seconds()));
    }
    return sb.toString();
  }

  static String elapsed(double seconds) {
    long s = (long) seconds;
    return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
  }

  @Override
  public void close() {
    thread.interrupt();
    try {
      thread.join(1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The name of the pass-through step counting {@code which}; progress sources look for it. */
  public static String stepName(String which) {
    return "Count " + which + " for progress";
  }

  /**
   * A pass-through step that counts elements into the counter {@code progress/<which>}; apply it
   * under {@link #stepName}, so progress sources can find it in Flink's operator names.
   */
  public static <T> PTransform<PCollection<T>, PCollection<T>> count(String which) {
    return new PTransform<>() {
      @Override
      public PCollection<T> expand(PCollection<T> input) {
        return input.apply("Count", ParDo.of(new CountFn<T>(which))).setCoder(input.getCoder());
      }
    };
  }

  static final class CountFn<T> extends DoFn<T, T> {
    private final Counter counter;

    CountFn(String which) {
      this.counter = Metrics.counter(NAMESPACE, which);
    }

    @ProcessElement
    public void process(@Element T element, OutputReceiver<T> out) {
      counter.inc();
      out.output(element);
    }
  }
}
