package dev.corpusforge.pipelines.graphsummary;

import dev.corpusforge.scorers.DeviceChoice;
import java.io.Serializable;

/**
 * How summaries are checked against their samples: the cosine between the summary's sentence
 * embedding and the mean of the sample's node-text embeddings (each L2-normalised), from a text
 * bundle ({@code minilm}: the pretrained all-MiniLM-L6-v2 shipped in a Maven artifact).
 *
 * @param model a text bundle folder / s3:// prefix, or {@code minilm}; null: no alignment score
 * @param minAlign samples scoring under this are {@code align_below_threshold}
 */
public record AlignRule(
    String model, double minAlign, DeviceChoice device, int threads, int batchSize)
    implements Serializable {
  /** See the graph-summary section of pipelines/README.md for the figures behind it. */
  public static final double DEFAULT_MIN_ALIGN = 0.5;

  public static final int DEFAULT_BATCH_SIZE = 64;

  public AlignRule {
    if (batchSize < 1) {
      throw new IllegalArgumentException("--align-batch-size must be ≥ 1");
    }
  }

  public boolean enabled() {
    return model != null;
  }
}
