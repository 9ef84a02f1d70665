package dev.corpusforge.annotators.decompose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenLmArgsTest {
  private static final long[] PER_EPOCH = {1507328, 1277952, 794624, 335872, 137216, 61440};

  /**
   * Buckets holding exactly what the paper's released DCLM run trained on over 8 epochs give the
   * flags of its {@code scripts/train_dd.sh} (8 GPUs, global batch 64, 1 worker, Grow-P2).
   */
  @Test
  void theReleasedRunsBucketsGiveTheReleasedFlags() {
    List<OpenLmArgs.Bucket> buckets = new ArrayList<>();
    long tokens = 0;
    for (int i = 0; i < 6; i++) {
      int length = 256 << i;
      buckets.add(new OpenLmArgs.Bucket(length, (1 << 20) / length, 8 * PER_EPOCH[i]));
      tokens += 8 * PER_EPOCH[i] * length;
    }
    OpenLmArgs.Result r =
        OpenLmArgs.compute(buckets, tokens, 8, 8, 64, 1, Curriculum.odds("grow-p2", 6));
    assertEquals(
        "--epochs 8 --train-num-samples 3607101440 --dataset-batch-mult 32 16 8 4 2 1"
            + " --source-num-seq-per-epoch 1507328 1277952 794624 335872 137216 61440"
            + " --train-data-mix-weights 1472 1248 776 328 134 60",
        r.flags(8));
  }

  @Test
  void sequenceCountsAreWholeShardsForEveryGpuAndWorker() {
    List<OpenLmArgs.Bucket> buckets =
        List.of(
            new OpenLmArgs.Bucket(256, 4096, 553 * 4096L),
            new OpenLmArgs.Bucket(512, 2048, 779 * 2048L),
            new OpenLmArgs.Bucket(1024, 1024, 831 * 1024L - 77),
            new OpenLmArgs.Bucket(2048, 512, 690 * 512L));
    OpenLmArgs.Result r =
        OpenLmArgs.compute(buckets, 10_000_000_000L, 4, 8, 64, 2, Curriculum.odds("grow-p2", 4));
    long perEpoch = 0;
    for (int i = 0; i < buckets.size(); i++) {
      long unit = buckets.get(i).sequencesPerShard() * 8 * 2;
      assertEquals(0, r.sourceNumSeqPerEpoch().get(i) % unit, "bucket " + i);
      perEpoch += r.sourceNumSeqPerEpoch().get(i) * buckets.get(i).length();
    }
    assertEquals(perEpoch, r.trainNumSamples());
    // within one rounding unit of the longest bucket of what was asked
    assertTrue(
        Math.abs(r.trainNumSamples() - 10_000_000_000L / 4) <= 512 * 8 * 2 * 2048L,
        r.trainNumSamples() + " for " + 10_000_000_000L / 4);
    assertEquals(List.of(8L, 4L, 2L, 1L), r.batchMult());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            OpenLmArgs.compute(
                List.of(new OpenLmArgs.Bucket(256, 4, 1000)), 1000, 1, 1, 64, 1, new double[] {1}),
        "shards too small for the batch");
  }
}
