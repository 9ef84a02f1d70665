package dev.corpusforge.filters.dedup.semantic;

import java.io.Serializable;

/**
 * Settings of semantic dedup (SemDeDup, Abbas et al. 2023).
 *
 * @param eps a pair is a duplicate when its cosine similarity exceeds {@code 1 − eps}
 * @param clusters k-means clusters; 0 derives it from the row count ({@link #clustersFor})
 * @param sampleSize embeddings the centroids are fitted on, drawn by a seeded hash of the sample id
 * @param maxClusterSize a larger cluster is split by a hash of the sample id into parts of about
 *     half this size, and pairs across parts are not compared
 * @param seed seeds the sample and the k-means++ start
 * @param iterations the most Lloyd iterations
 * @param gallery pairs of a rejected duplicate and its survivor shown in the report
 */
public record SemDedupConfig(
    double eps,
    int clusters,
    int sampleSize,
    int maxClusterSize,
    long seed,
    int iterations,
    int gallery)
    implements Serializable {
  public static final int DEFAULT_SAMPLE = 20_000;
  public static final int DEFAULT_MAX_CLUSTER = 20_000;
  public static final int DEFAULT_ITERATIONS = 50;
  public static final int DEFAULT_GALLERY = 12;

  /** Rows per cluster when the number of clusters is derived. */
  public static final int ROWS_PER_CLUSTER = 1_000;

  /** Sample points per centroid at least, when the number of clusters is derived. */
  public static final int SAMPLE_PER_CLUSTER = 20;

  public SemDedupConfig {
    if (!(eps > 0 && eps < 1)) {
      throw new IllegalArgumentException("--semdedup-eps must be in (0, 1), got " + eps);
    }
    if (clusters < 0) {
      throw new IllegalArgumentException("--semdedup-clusters must be 0 (derived) or more");
    }
    if (sampleSize < 1 || maxClusterSize < 2 || iterations < 1 || gallery < 0) {
      throw new IllegalArgumentException(
          "semantic dedup: sample ≥ 1, max cluster ≥ 2, iterations ≥ 1 and gallery ≥ 0");
    }
  }

  /** The paper's settings apart from {@code eps}: clusters derived, our sample and bounds. */
  public static SemDedupConfig withEps(double eps) {
    return new SemDedupConfig(
        eps, 0, DEFAULT_SAMPLE, DEFAULT_MAX_CLUSTER, 0, DEFAULT_ITERATIONS, DEFAULT_GALLERY);
  }

  /**
   * The clusters for {@code rows} rows of which {@code sampled} were sampled: as set, or one per
   * {@value #ROWS_PER_CLUSTER} rows and at most one per {@value #SAMPLE_PER_CLUSTER} sampled; never
   * more than the points sampled, at least one.
   */
  public int clustersFor(long rows, int sampled) {
    long k =
        clusters > 0
            ? clusters
            : Math.min(
                (rows + ROWS_PER_CLUSTER - 1) / ROWS_PER_CLUSTER, sampled / SAMPLE_PER_CLUSTER);
    return (int) Math.max(1, Math.min(k, Math.max(1, sampled)));
  }
}
