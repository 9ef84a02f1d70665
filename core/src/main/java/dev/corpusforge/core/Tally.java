package dev.corpusforge.core;

import java.io.Serializable;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine;

/**
 * Named counts a stage keeps beside its records, for the run's statistics: what a record's step
 * counted on the way (masks read, masks dropped by reason, labels cut), whether the record was kept
 * or dropped. Summed over the run with {@link #sum()}; typed, unlike counts in text lines, and
 * unlike Beam counters part of the pipeline's own outputs, so the manifest states them on every
 * runner.
 */
public final class Tally implements Serializable {
  private final TreeMap<String, Long> counts = new TreeMap<>();

  /** A tally with nothing counted yet. */
  public static Tally empty() {
    return new Tally();
  }

  /** A tally of one count. */
  public static Tally of(String name, long n) {
    return new Tally().add(name, n);
  }

  /** Adds {@code n} to {@code name} (nothing for 0) and returns this tally. */
  public Tally add(String name, long n) {
    if (n != 0) {
      counts.merge(name, n, Long::sum);
    }
    return this;
  }

  /** Adds every count of {@code other} and returns this tally. */
  public Tally addAll(Tally other) {
    other.counts.forEach(this::add);
    return this;
  }

  public long get(String name) {
    return counts.getOrDefault(name, 0L);
  }

  public boolean isEmpty() {
    return counts.isEmpty();
  }

  /** The counts by name, in name order. */
  public SortedMap<String, Long> counts() {
    return Collections.unmodifiableSortedMap(counts);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Tally t && t.counts.equals(counts);
  }

  @Override
  public int hashCode() {
    return counts.hashCode();
  }

  @Override
  public String toString() {
    return counts.toString();
  }

  /** Encodes a tally as its map of counts. */
  public static Coder<Tally> coder() {
    return new TallyCoder();
  }

  /** Sums tallies; an empty tally when there are none. */
  public static Combine.CombineFn<Tally, Tally, Tally> sum() {
    return new Sum();
  }

  static final class Sum extends Combine.CombineFn<Tally, Tally, Tally> {
    @Override
    public Tally createAccumulator() {
      return new Tally();
    }

    @Override
    public Tally addInput(Tally acc, Tally input) {
      return acc.addAll(input);
    }

    @Override
    public Tally mergeAccumulators(Iterable<Tally> accs) {
      Tally all = new Tally();
      accs.forEach(all::addAll);
      return all;
    }

    @Override
    public Tally extractOutput(Tally acc) {
      return acc;
    }

    @Override
    public Coder<Tally> getAccumulatorCoder(
        org.apache.beam.sdk.coders.CoderRegistry registry, Coder<Tally> inputCoder) {
      return coder();
    }

    @Override
    public Coder<Tally> getDefaultOutputCoder(
        org.apache.beam.sdk.coders.CoderRegistry registry, Coder<Tally> inputCoder) {
      return coder();
    }
  }

  static final class TallyCoder extends org.apache.beam.sdk.coders.CustomCoder<Tally> {
    private static final Coder<Map<String, Long>> MAP =
        MapCoder.of(StringUtf8Coder.of(), VarLongCoder.of());

    @Override
    public void encode(Tally value, java.io.OutputStream out) throws java.io.IOException {
      MAP.encode(value.counts, out);
    }

    @Override
    public Tally decode(java.io.InputStream in) throws java.io.IOException {
      Tally t = new Tally();
      MAP.decode(in).forEach(t::add);
      return t;
    }

    @Override
    public void verifyDeterministic() {}

    // equal coders make equal types to runners that compare them (Flink's union of collections)
    @Override
    public boolean equals(Object o) {
      return o instanceof TallyCoder;
    }

    @Override
    public int hashCode() {
      return TallyCoder.class.hashCode();
    }
  }
}
