package dev.corpusforge.scorers.beam;

import dev.corpusforge.core.output.AllRecords;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * DataComp's top-fraction threshold computed exactly over the whole input (not per worker): with
 * all N scores sorted in descending order, the score at rank ⌊fraction · N⌋; keeping scores ≥ it
 * keeps the top fraction. Positive infinity when ⌊fraction · N⌋ is 0.
 *
 * <p>Two passes, so no worker ever holds all the scores: the first counts the scores in 65,536
 * equal bins over [−1, 1] and finds the bin that holds the rank; the second collects only the
 * scores of that bin and sorts them. Memory: the scores of one bin.
 */
public final class TopFractionThreshold
    extends PTransform<PCollection<Double>, PCollectionView<TopFractionThreshold.Threshold>> {
  static final int BINS = 1 << 16;

  private final double fraction;

  private TopFractionThreshold(double fraction) {
    if (!(fraction > 0 && fraction <= 1)) {
      throw new IllegalArgumentException("--keep-top-fraction must be in (0, 1], not " + fraction);
    }
    this.fraction = fraction;
  }

  public static TopFractionThreshold of(double fraction) {
    return new TopFractionThreshold(fraction);
  }

  /**
   * The threshold and how it was found.
   *
   * @param value keep scores ≥ this
   * @param rank ⌊fraction · N⌋
   * @param scored N
   */
  public record Threshold(double value, long rank, long scored, double fraction)
      implements Serializable {}

  /**
   * Where the rank falls after the first pass: its bin, and its rank inside that bin from the top.
   */
  record Located(long scored, long rank, int bin, long rankInBin) implements Serializable {}

  static int bin(double score) {
    int b = (int) Math.floor((score + 1) / 2 * BINS);
    return Math.max(0, Math.min(BINS - 1, b));
  }

  @Override
  public PCollectionView<Threshold> expand(PCollection<Double> scores) {
    double f = fraction;
    PCollectionView<Located> located =
        scores
            .apply("Count by bin", Combine.globally(new BinCounts()))
            .apply(
                "Locate rank",
                ParDo.of(
                    new DoFn<long[], Located>() {
                      @ProcessElement
                      public void process(@Element long[] counts, OutputReceiver<Located> out) {
                        out.output(locate(counts, f));
                      }
                    }))
            .setCoder(SerializableCoder.of(Located.class))
            .apply("Rank view", View.asSingleton());
    return scores
        .apply(
            "Scores in the rank's bin",
            ParDo.of(
                    new DoFn<Double, Double>() {
                      @ProcessElement
                      public void process(@Element Double score, ProcessContext c) {
                        Located at = c.sideInput(located);
                        if (at.rank() > 0 && bin(score) == at.bin()) {
                          c.output(score);
                        }
                      }
                    })
                .withSideInputs(located))
        .apply("Collect the bin", AllRecords.inOneList())
        .apply(
            "Pick the score at the rank",
            ParDo.of(
                    new DoFn<List<Double>, Threshold>() {
                      @ProcessElement
                      public void process(@Element List<Double> inBin, ProcessContext c) {
                        Located at = c.sideInput(located);
                        if (at.rank() == 0) {
                          c.output(new Threshold(Double.POSITIVE_INFINITY, 0, at.scored(), f));
                          return;
                        }
                        double[] sorted = inBin.stream().mapToDouble(Double::doubleValue).toArray();
                        Arrays.sort(sorted);
                        c.output(
                            new Threshold(
                                sorted[sorted.length - (int) at.rankInBin()],
                                at.rank(),
                                at.scored(),
                                f));
                      }
                    })
                .withSideInputs(located))
        .setCoder(SerializableCoder.of(Threshold.class))
        .apply("Threshold view", View.asSingleton());
  }

  static Located locate(long[] counts, double fraction) {
    long n = 0;
    for (long c : counts) {
      n += c;
    }
    long rank = (long) Math.floor(fraction * n);
    if (rank == 0) {
      return new Located(n, 0, -1, 0);
    }
    long above = 0;
    for (int b = BINS - 1; b >= 0; b--) {
      if (above + counts[b] >= rank) {
        return new Located(n, rank, b, rank - above);
      }
      above += counts[b];
    }
    throw new IllegalStateException("rank " + rank + " beyond " + n + " scores");
  }

  static final class BinCounts extends Combine.CombineFn<Double, long[], long[]> {
    @Override
    public long[] createAccumulator() {
      return new long[BINS];
    }

    @Override
    public long[] addInput(long[] acc, Double score) {
      acc[bin(score)]++;
      return acc;
    }

    @Override
    public long[] mergeAccumulators(Iterable<long[]> accs) {
      long[] sum = new long[BINS];
      for (long[] a : accs) {
        for (int i = 0; i < BINS; i++) {
          sum[i] += a[i];
        }
      }
      return sum;
    }

    @Override
    public long[] extractOutput(long[] acc) {
      return acc;
    }
  }
}
