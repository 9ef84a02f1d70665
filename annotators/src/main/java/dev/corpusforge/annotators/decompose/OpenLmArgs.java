package dev.corpusforge.annotators.decompose;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The arguments open_lm's Dataset Decomposition patch trains on the D_k buckets with, computed as
 * the paper's {@code scripts/get_dd_params.py} does: the tokens asked for are spread over the
 * buckets in proportion to what each holds; each bucket's sequences per epoch are rounded to a
 * multiple of (sequences per shard × GPUs × workers), so every GPU's every worker reads whole
 * shards, then nudged one such multiple at a time, longest bucket first, toward the tokens asked
 * for; a bucket's batch is {@code 2^(max − k)} times the longest bucket's; the mixing weights are
 * each bucket's tokens relative to the shortest's, times the curriculum's odds.
 */
public final class OpenLmArgs {
  /**
   * One bucket: its sequence length (2^k, the released +1 not counted), the sequences of one full
   * shard, and the sequences it holds.
   */
  public record Bucket(int length, long sequencesPerShard, long sequences) {}

  /** What open_lm is given, and the tokens per epoch it comes to. */
  public record Result(
      long trainNumSamples,
      List<Long> batchMult,
      List<Long> sourceNumSeqPerEpoch,
      List<Long> trainDataMixWeights,
      long tokensAskedPerEpoch) {
    /** The flags, one line. */
    public String flags(int epochs) {
      return "--epochs "
          + epochs
          + " --train-num-samples "
          + trainNumSamples
          + " --dataset-batch-mult "
          + join(batchMult)
          + " --source-num-seq-per-epoch "
          + join(sourceNumSeqPerEpoch)
          + " --train-data-mix-weights "
          + join(trainDataMixWeights);
    }

    private static String join(List<Long> values) {
      return String.join(" ", values.stream().map(String::valueOf).toList());
    }
  }

  private OpenLmArgs() {}

  /**
   * @param buckets shortest first
   * @param tokens the tokens to train on, all epochs together
   * @param odds the curriculum's odds per bucket, shortest first ({@link Curriculum#odds})
   */
  public static Result compute(
      List<Bucket> buckets,
      long tokens,
      int epochs,
      int gpus,
      int globalBatch,
      int workers,
      double[] odds) {
    int n = buckets.size();
    if (n == 0 || odds.length != n) {
      throw new IllegalArgumentException("one odds value per bucket, and at least one bucket");
    }
    if (epochs < 1 || gpus < 1 || globalBatch < 1 || workers < 1 || tokens < 1) {
      throw new IllegalArgumentException(
          "--train-tokens, --epochs, --gpus, --global-batch and --workers must be ≥ 1");
    }
    int longest = buckets.get(n - 1).length();
    double available = 0;
    for (Bucket b : buckets) {
      available += (double) b.sequences() * b.length();
    }
    if (available == 0) {
      throw new IllegalArgumentException("the buckets hold no sequences");
    }
    long[] unit = new long[n];
    long[] factor = new long[n];
    List<Long> batchMult = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Bucket b = buckets.get(i);
      long mult = longest / b.length();
      batchMult.add(mult);
      unit[i] = b.sequencesPerShard() * gpus * workers;
      if (unit[i] <= mult * globalBatch * workers) {
        throw new IllegalArgumentException(
            "bucket "
                + b.length()
                + ": sequences per shard × GPUs × workers ("
                + unit[i]
                + ") must exceed its batch × workers ("
                + mult * globalBatch * workers
                + "); use larger shards (--dd-shard-tokens) or fewer GPUs");
      }
      double needed = tokens / available * b.sequences() * b.length() / epochs / b.length();
      factor[i] = Math.round(needed / unit[i]);
    }
    long target = tokens / epochs;
    // nudge the factors toward the target, longest bucket first, as the reference does
    Set<List<Long>> tried = new HashSet<>();
    int index = n - 1;
    while (diff(target, factor, unit, buckets) != 0 && index >= 0) {
      List<Long> key = new ArrayList<>();
      for (long f : factor) {
        key.add(f);
      }
      if (!tried.add(key)) {
        index--;
        if (index < 0) {
          break;
        }
      }
      if (diff(target, factor, unit, buckets) < 0) {
        factor[index] = Math.max(0, factor[index] - 1);
      } else {
        factor[index]++;
      }
    }
    List<Long> seqs = new ArrayList<>();
    long perEpoch = 0;
    for (int i = 0; i < n; i++) {
      seqs.add(factor[i] * unit[i]);
      perEpoch += factor[i] * unit[i] * buckets.get(i).length();
    }
    List<Long> weights = new ArrayList<>();
    double first = (double) seqs.get(0) * buckets.get(0).length();
    for (int i = 0; i < n; i++) {
      // multiplied before the one division, so that a whole quotient comes out whole
      double tokensI = (double) seqs.get(i) * buckets.get(i).length();
      weights.add(first == 0 ? 0 : (long) (tokensI * factor[0] * odds[i] / first));
    }
    return new Result(perEpoch, batchMult, seqs, weights, target);
  }

  private static long diff(long target, long[] factor, long[] unit, List<Bucket> buckets) {
    long sum = 0;
    for (int i = 0; i < factor.length; i++) {
      sum += factor[i] * unit[i] * buckets.get(i).length();
    }
    return target - sum;
  }
}
