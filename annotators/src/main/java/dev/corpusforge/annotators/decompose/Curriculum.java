package dev.corpusforge.annotators.decompose;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Dataset Decomposition's training schedules (CORPORA.md §5): every step holds the same number of
 * tokens, so bucket k contributes {@code tokensPerStep / 2^k} sequences of length 2^k. A seeded
 * mixer picks one bucket per step with probability ∝ (batches left in the bucket) × odds; the odds
 * decide the curriculum: Grow-P2 {@code [32, 16, 8, 4, 2, 1]} (short buckets drain first, so every
 * epoch runs short → long), Grow-P100 (odds 100× apart), uniform (equal odds), or any list.
 */
public final class Curriculum {
  private Curriculum() {}

  /** One step: the bucket and the ids of its sequences. */
  public record Step(int epoch, long step, int k, List<String> sequenceIds) {}

  /** Receives the steps in order. */
  public interface StepSink {
    void accept(Step step) throws Exception;
  }

  /**
   * What a schedule costs.
   *
   * @param stepsPerEpoch steps in one epoch
   * @param meanSequenceLength mean training sequence length over all steps (every step has the same
   *     tokens)
   * @param attentionCost Σ over steps of Σ length² of its sequences
   * @param baselineCost the same for concat-and-chunk sequences of the longest length over the same
   *     steps
   * @param unusedSequences per bucket, sequences left over each epoch because they do not fill a
   *     batch
   */
  public record Summary(
      long stepsPerEpoch,
      long steps,
      double meanSequenceLength,
      double attentionCost,
      double baselineCost,
      long[] unusedSequences) {
    public double costRatio() {
      return baselineCost == 0 ? 0 : attentionCost / baselineCost;
    }
  }

  /** The odds of a named curriculum for {@code buckets} buckets, shortest first. */
  public static double[] odds(String curriculum, int buckets) {
    String c = curriculum.trim().toLowerCase(Locale.ROOT);
    double[] odds = new double[buckets];
    if (c.startsWith("odds:")) {
      String[] parts = c.substring(5).split(",");
      if (parts.length != buckets) {
        throw new IllegalArgumentException(
            "--curriculum "
                + curriculum
                + " gives "
                + parts.length
                + " odds for "
                + buckets
                + " buckets");
      }
      for (int i = 0; i < buckets; i++) {
        odds[i] = Double.parseDouble(parts[i].trim());
        if (!(odds[i] > 0)) {
          throw new IllegalArgumentException("odds must be > 0: " + curriculum);
        }
      }
      return odds;
    }
    double base =
        switch (c) {
          case "grow-p2" -> 2;
          case "grow-p100" -> 100;
          case "uniform" -> 1;
          default ->
              throw new IllegalArgumentException(
                  "--curriculum must be grow-p2, grow-p100, uniform or odds:a,b,…, not '"
                      + curriculum
                      + "'");
        };
    for (int i = 0; i < buckets; i++) {
      odds[i] = Math.pow(base, buckets - 1 - i);
    }
    return odds;
  }

  /** The mixer's weights at the start of an epoch: batches × odds. */
  public static double[] weights(long[] batches, double[] odds) {
    double[] w = new double[batches.length];
    for (int i = 0; i < w.length; i++) {
      w[i] = batches[i] * odds[i];
    }
    return w;
  }

  /**
   * Writes the schedule to {@code sink}.
   *
   * @param minLog2 bucket of {@code ids[0]}
   * @param ids per bucket (shortest first), the sequence ids in a fixed order
   */
  public static Summary schedule(
      int minLog2,
      List<List<String>> ids,
      long tokensPerStep,
      double[] odds,
      int epochs,
      long seed,
      StepSink sink)
      throws Exception {
    int buckets = ids.size();
    int maxLog2 = minLog2 + buckets - 1;
    if (tokensPerStep % (1L << maxLog2) != 0) {
      throw new IllegalArgumentException(
          "--tokens-per-step "
              + tokensPerStep
              + " must be a multiple of the longest length 2^"
              + maxLog2);
    }
    long[] perStep = new long[buckets];
    long[] batches = new long[buckets];
    long[] unused = new long[buckets];
    for (int i = 0; i < buckets; i++) {
      perStep[i] = tokensPerStep >> (minLog2 + i);
      batches[i] = ids.get(i).size() / perStep[i];
      unused[i] = ids.get(i).size() % perStep[i];
    }
    long stepsPerEpoch = Arrays.stream(batches).sum();
    long step = 0;
    double lengthSum = 0;
    double cost = 0;
    for (int epoch = 0; epoch < epochs; epoch++) {
      SplittableRandom random = new SplittableRandom(seed * 1_000_003L + epoch);
      List<List<String>> order = new ArrayList<>();
      for (int i = 0; i < buckets; i++) {
        List<String> shuffled = new ArrayList<>(ids.get(i));
        shuffle(shuffled, new SplittableRandom(seed * 1_000_003L + epoch * 131L + i + 7));
        order.add(shuffled);
      }
      long[] left = batches.clone();
      long[] next = new long[buckets];
      for (long s = 0; s < stepsPerEpoch; s++) {
        double[] w = weights(left, odds);
        double total = Arrays.stream(w).sum();
        double r = random.nextDouble() * total;
        int pick = buckets - 1;
        double acc = 0;
        for (int i = 0; i < buckets; i++) {
          acc += w[i];
          if (r < acc && left[i] > 0) {
            pick = i;
            break;
          }
        }
        while (left[pick] == 0) {
          pick--;
        }
        int from = (int) (next[pick] * perStep[pick]);
        sink.accept(
            new Step(
                epoch,
                step++,
                minLog2 + pick,
                order.get(pick).subList(from, (int) (from + perStep[pick]))));
        next[pick]++;
        left[pick]--;
        double length = 1L << (minLog2 + pick);
        lengthSum += length;
        cost += tokensPerStep * length;
      }
    }
    double baseline = (double) step * tokensPerStep * (1L << maxLog2);
    return new Summary(
        stepsPerEpoch, step, step == 0 ? 0 : lengthSum / step, cost, baseline, unused);
  }

  private static void shuffle(List<String> list, SplittableRandom random) {
    for (int i = list.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      String t = list.get(i);
      list.set(i, list.get(j));
      list.set(j, t);
    }
  }
}
