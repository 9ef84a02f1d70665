package dev.corpusforge.scorers.beam;

import dev.corpusforge.scorers.DeviceChoice;
import java.io.Serializable;

/**
 * How the scoring transform runs; echoed in the manifest.
 *
 * @param bundle the model bundle: a local folder or an s3:// prefix
 * @param device cpu, gpu or auto
 * @param batchSize pairs per forward pass
 * @param maxBufferingMillis longest a pair waits for its batch to fill
 * @param threads ONNX Runtime threads per forward pass (0: ONNX Runtime's default, every core)
 * @param keys parallel batching keys: how many batches can fill at once
 * @param filipTopFraction FILIP's token selection, the fraction of tokens kept per side (1 = all)
 * @param embeddings whether the scored records carry the pair's normalised embeddings
 */
public record ScoringConfig(
    String bundle,
    DeviceChoice device,
    int batchSize,
    long maxBufferingMillis,
    int threads,
    int keys,
    double filipTopFraction,
    boolean embeddings)
    implements Serializable {
  public static final int DEFAULT_BATCH_SIZE = 32;
  public static final long DEFAULT_MAX_BUFFERING_MILLIS = 5_000;
  public static final int DEFAULT_THREADS = 1;
  public static final int DEFAULT_KEYS = 16;
  public static final double DEFAULT_FILIP_TOP_FRACTION = 1.0;

  public ScoringConfig {
    if (bundle == null || bundle.isBlank()) {
      throw new IllegalArgumentException("scoring needs a model bundle (--score-model)");
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("--score-batch-size must be ≥ 1");
    }
    if (maxBufferingMillis < 1) {
      throw new IllegalArgumentException("--score-max-buffering-ms must be ≥ 1");
    }
    if (threads < 0) {
      throw new IllegalArgumentException("--score-threads must be ≥ 0");
    }
    if (keys < 1) {
      throw new IllegalArgumentException("--score-keys must be ≥ 1");
    }
    if (!(filipTopFraction > 0 && filipTopFraction <= 1)) {
      throw new IllegalArgumentException("--filip-top-fraction must be in (0, 1]");
    }
  }

  /** Scoring without embeddings on the records. */
  public ScoringConfig(
      String bundle,
      DeviceChoice device,
      int batchSize,
      long maxBufferingMillis,
      int threads,
      int keys,
      double filipTopFraction) {
    this(bundle, device, batchSize, maxBufferingMillis, threads, keys, filipTopFraction, false);
  }

  /** The same scoring, with or without embeddings on the records. */
  public ScoringConfig withEmbeddings(boolean embeddings) {
    return new ScoringConfig(
        bundle, device, batchSize, maxBufferingMillis, threads, keys, filipTopFraction, embeddings);
  }

  public static ScoringConfig defaults(String bundle) {
    return new ScoringConfig(
        bundle,
        DeviceChoice.AUTO,
        DEFAULT_BATCH_SIZE,
        DEFAULT_MAX_BUFFERING_MILLIS,
        DEFAULT_THREADS,
        DEFAULT_KEYS,
        DEFAULT_FILIP_TOP_FRACTION);
  }
}
