package dev.corpusforge.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The watchdog of a recipe's per-record stages: how long one record may take in a stage ({@code
 * --stage-timeout 60}, or per stage: {@code image=30,text=5,*=120}) before it is rejected {@code
 * <stage>_timeout} and its worker goes on; and which records are in a stage right now, for the
 * progress lines ({@link #slowest}).
 */
public final class StageWatch {
  private StageWatch() {}

  /** The timeouts as pipeline options. */
  public interface Options extends PipelineOptions {
    @Description("Seconds a record may take in a stage: N for every stage, or STAGE=N,…,*=N.")
    String getForgeStageTimeouts();

    void setForgeStageTimeouts(String timeouts);
  }

  /** The reason of a record that took too long in {@code stage}. */
  public static String reason(String stage) {
    return stage + "_timeout";
  }

  /**
   * Seconds per stage from {@code spec}: {@code 60} (every stage), or {@code image=30,*=120}; the
   * key {@code *} is every stage not named. Null or blank: none.
   */
  public static Map<String, Double> parse(String spec) {
    Map<String, Double> out = new TreeMap<>();
    if (spec == null || spec.isBlank()) {
      return out;
    }
    for (String part : spec.split(",")) {
      String p = part.strip();
      int eq = p.indexOf('=');
      String stage = eq < 0 ? "*" : p.substring(0, eq).strip().toLowerCase(Locale.ROOT);
      String value = eq < 0 ? p : p.substring(eq + 1).strip();
      double seconds;
      try {
        seconds = Double.parseDouble(value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "--stage-timeout takes SECONDS or STAGE=SECONDS,…, not " + spec);
      }
      if (!(seconds > 0) || stage.isEmpty()) {
        throw new IllegalArgumentException(
            "--stage-timeout takes SECONDS or STAGE=SECONDS,… with SECONDS > 0, not " + spec);
      }
      out.put(stage, seconds);
    }
    return out;
  }

  /** Milliseconds a record may take in {@code stage} under {@code options}; 0 for no limit. */
  public static long millis(PipelineOptions options, String stage) {
    Map<String, Double> timeouts = parse(options.as(Options.class).getForgeStageTimeouts());
    Double seconds = timeouts.getOrDefault(stage, timeouts.get("*"));
    return seconds == null ? 0 : Math.max(1, Math.round(seconds * 1000));
  }

  /** A record in a stage since {@code startNanos}. */
  public record Running(String stage, String sampleId, long startNanos) {
    public double seconds() {
      return (System.nanoTime() - startNanos) / 1e9;
    }
  }

  private static final Map<Long, Running> RUNNING = new ConcurrentHashMap<>();
  private static final AtomicLong NEXT = new AtomicLong();

  /** Notes that a record entered a stage; the token {@link #end} takes. */
  static long begin(String stage, String sampleId) {
    long token = NEXT.incrementAndGet();
    RUNNING.put(token, new Running(stage, sampleId, System.nanoTime()));
    return token;
  }

  static void end(long token) {
    RUNNING.remove(token);
  }

  /** The {@code n} records of this JVM longest in their stage, longest first. */
  public static List<Running> slowest(int n) {
    List<Running> all = new ArrayList<>(RUNNING.values());
    all.sort(Comparator.comparingLong(Running::startNanos));
    return all.subList(0, Math.min(n, all.size()));
  }
}
