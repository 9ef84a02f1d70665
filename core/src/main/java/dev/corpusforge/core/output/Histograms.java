package dev.corpusforge.core.output;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.FlatMapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Several {@link Histogram}s of one collection in one pass: one combine reads each record once and
 * bins it in every histogram, where one combine per histogram would read (and on Flink, decode) the
 * whole collection once per histogram. Emits one {@code histogram} stats line per histogram, empty
 * ones included when the collection is.
 */
public final class Histograms<T> extends PTransform<PCollection<T>, PCollection<String>> {
  private final List<Spec<T>> specs;

  private Histograms(List<Spec<T>> specs) {
    this.specs = specs;
  }

  /** One histogram: its name, the value of a record, the bin edges. */
  private record Spec<T>(Histogram histogram, SerializableFunction<T, Double> value)
      implements Serializable {}

  /** The histogram {@code name} of {@code value} over the records; add more with {@link #and}. */
  public static <T> Histograms<T> of(
      String name, SerializableFunction<T, Double> value, double... edges) {
    return new Histograms<T>(List.of()).and(name, value, edges);
  }

  /** These histograms and {@code name} of {@code value}. */
  public Histograms<T> and(String name, SerializableFunction<T, Double> value, double... edges) {
    List<Spec<T>> more = new ArrayList<>(specs);
    more.add(new Spec<>(new Histogram(name, edges), value));
    return new Histograms<>(List.copyOf(more));
  }

  @Override
  public PCollection<String> expand(PCollection<T> records) {
    return records
        .apply("Bins", Combine.globally(bins()))
        .apply("Lines", FlatMapElements.into(TypeDescriptors.strings()).via(lines -> lines));
  }

  /** The combine that bins each record in every histogram. */
  AllBins<T> bins() {
    return new AllBins<>(specs);
  }

  /** Every histogram's counts, as one accumulator: {@code counts[h][bin]}. */
  static final class AllBins<T> extends Combine.CombineFn<T, long[][], List<String>> {
    private final List<Spec<T>> specs;

    AllBins(List<Spec<T>> specs) {
      this.specs = specs;
    }

    @Override
    public long[][] createAccumulator() {
      long[][] counts = new long[specs.size()][];
      for (int h = 0; h < counts.length; h++) {
        counts[h] = specs.get(h).histogram().createAccumulator();
      }
      return counts;
    }

    @Override
    public long[][] addInput(long[][] counts, T record) {
      for (int h = 0; h < counts.length; h++) {
        Spec<T> spec = specs.get(h);
        counts[h] = spec.histogram().addInput(counts[h], spec.value().apply(record));
      }
      return counts;
    }

    @Override
    public long[][] mergeAccumulators(Iterable<long[][]> all) {
      long[][] merged = createAccumulator();
      for (long[][] counts : all) {
        for (int h = 0; h < merged.length; h++) {
          for (int bin = 0; bin < merged[h].length; bin++) {
            merged[h][bin] += counts[h][bin];
          }
        }
      }
      return merged;
    }

    @Override
    public List<String> extractOutput(long[][] counts) {
      List<String> lines = new ArrayList<>();
      for (int h = 0; h < counts.length; h++) {
        lines.add(specs.get(h).histogram().extractOutput(counts[h]));
      }
      return lines;
    }

    @Override
    public Coder<long[][]> getAccumulatorCoder(CoderRegistry registry, Coder<T> inputCoder) {
      return CountsCoder.INSTANCE;
    }
  }

  /** {@code long[][]} as its lengths and counts. */
  static final class CountsCoder extends AtomicCoder<long[][]> {
    static final CountsCoder INSTANCE = new CountsCoder();

    @Override
    public void encode(long[][] counts, OutputStream out) throws IOException {
      VarIntCoder.of().encode(counts.length, out);
      for (long[] row : counts) {
        VarIntCoder.of().encode(row.length, out);
        for (long n : row) {
          VarLongCoder.of().encode(n, out);
        }
      }
    }

    @Override
    public long[][] decode(InputStream in) throws IOException {
      int rows = VarIntCoder.of().decode(in);
      if (rows < 0) {
        throw new IOException("negative histogram count " + rows);
      }
      long[][] counts = new long[rows][];
      for (int h = 0; h < rows; h++) {
        int bins = VarIntCoder.of().decode(in);
        if (bins < 0) {
          throw new IOException("negative bin count " + bins);
        }
        counts[h] = new long[bins];
        for (int bin = 0; bin < bins; bin++) {
          counts[h][bin] = VarLongCoder.of().decode(in);
        }
      }
      return counts;
    }

    @Override
    public void verifyDeterministic() {}
  }
}
