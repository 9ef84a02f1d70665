package dev.corpusforge.core.output;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PCollection;

/**
 * A fixed-bin histogram as a Beam combiner: bin i counts values in [edges[i], edges[i+1]), the last
 * bin everything ≥ the last edge. Emits one {@code histogram} stats line.
 */
public final class Histogram extends Combine.CombineFn<Double, long[], String> {
  private final String name;
  private final double[] edges;

  public Histogram(String name, double... edges) {
    this.name = name;
    this.edges = edges.clone();
  }

  /**
   * The histogram {@code name} of {@code value} over a collection's records, as a stats line;
   * {@link Histograms} makes several of one collection in one pass.
   */
  public static <T> PTransform<PCollection<T>, PCollection<String>> of(
      String name, SerializableFunction<T, Double> value, double... edges) {
    return Histograms.of(name, value, edges);
  }

  @Override
  public long[] createAccumulator() {
    return new long[edges.length];
  }

  @Override
  public long[] addInput(long[] acc, Double value) {
    if (value == null || value.isNaN()) {
      return acc;
    }
    int bin = Arrays.binarySearch(edges, value);
    bin = bin >= 0 ? bin : -bin - 2;
    acc[Math.max(0, bin)]++;
    return acc;
  }

  @Override
  public long[] mergeAccumulators(Iterable<long[]> accs) {
    long[] merged = createAccumulator();
    for (long[] acc : accs) {
      for (int i = 0; i < merged.length; i++) {
        merged[i] += acc[i];
      }
    }
    return merged;
  }

  @Override
  public String extractOutput(long[] acc) {
    ObjectNode line = StatsLines.line("histogram").put("name", name);
    ArrayNode e = line.putArray("edges");
    for (double edge : edges) {
      e.add(edge);
    }
    ArrayNode c = line.putArray("counts");
    for (long count : acc) {
      c.add(count);
    }
    return line.toString();
  }
}
