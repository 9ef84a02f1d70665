package dev.corpusforge.filters.dedup.semantic;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Spherical k-means on unit vectors (similarity by dot product), as SemDeDup clusters CLIP
 * embeddings: k-means++ seeding from a seeded generator, then Lloyd's iterations until no point
 * changes cluster or {@code maxIterations} is reached; each centroid is the normalised mean of its
 * points. Deterministic for the same points in the same order and the same seed; a cluster left
 * empty keeps its previous centroid.
 */
public final class KMeans {
  private KMeans() {}

  /** Centroids, {@code min(k, points.length)} of them, each of unit length. */
  public static float[][] fit(float[][] points, int k, long seed, int maxIterations) {
    if (points.length == 0) {
      return new float[0][];
    }
    int clusters = Math.max(1, Math.min(k, points.length));
    float[][] centroids = seed(points, clusters, new SplittableRandom(seed));
    int[] assigned = new int[points.length];
    Arrays.fill(assigned, -1);
    for (int iteration = 0; iteration < maxIterations; iteration++) {
      boolean changed = false;
      for (int i = 0; i < points.length; i++) {
        int c = nearest(centroids, points[i]);
        if (c != assigned[i]) {
          assigned[i] = c;
          changed = true;
        }
      }
      if (!changed) {
        break;
      }
      double[][] sums = new double[clusters][points[0].length];
      int[] counts = new int[clusters];
      for (int i = 0; i < points.length; i++) {
        double[] sum = sums[assigned[i]];
        float[] p = points[i];
        for (int d = 0; d < p.length; d++) {
          sum[d] += p[d];
        }
        counts[assigned[i]]++;
      }
      for (int c = 0; c < clusters; c++) {
        if (counts[c] > 0) {
          float[] mean = normalised(sums[c]);
          if (mean != null) {
            centroids[c] = mean;
          }
        }
      }
    }
    return centroids;
  }

  /** The index of the centroid most similar to {@code v}; the lowest index on a tie. */
  public static int nearest(float[][] centroids, float[] v) {
    int best = 0;
    double bestSimilarity = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < centroids.length; c++) {
      double s = dot(centroids[c], v);
      if (s > bestSimilarity) {
        bestSimilarity = s;
        best = c;
      }
    }
    return best;
  }

  /** The dot product, summed in index order in double precision. */
  public static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }

  /**
   * k-means++: the first centroid a random point, each next one drawn with probability proportional
   * to its distance (1 − similarity) to the nearest centroid chosen so far.
   */
  private static float[][] seed(float[][] points, int k, SplittableRandom random) {
    float[][] centroids = new float[k][];
    centroids[0] = points[random.nextInt(points.length)].clone();
    double[] distance = new double[points.length];
    Arrays.fill(distance, Double.POSITIVE_INFINITY);
    for (int c = 1; c < k; c++) {
      double total = 0;
      for (int i = 0; i < points.length; i++) {
        distance[i] = Math.min(distance[i], Math.max(0, 1 - dot(centroids[c - 1], points[i])));
        total += distance[i];
      }
      int chosen;
      if (total <= 0) {
        // every point is on a centroid already: any point will do
        chosen = random.nextInt(points.length);
      } else {
        double target = random.nextDouble() * total;
        chosen = points.length - 1;
        for (int i = 0; i < points.length; i++) {
          target -= distance[i];
          if (target < 0) {
            chosen = i;
            break;
          }
        }
      }
      centroids[c] = points[chosen].clone();
    }
    return centroids;
  }

  private static float[] normalised(double[] sum) {
    double norm = 0;
    for (double x : sum) {
      norm += x * x;
    }
    norm = Math.sqrt(norm);
    if (norm == 0 || !Double.isFinite(norm)) {
      return null;
    }
    float[] out = new float[sum.length];
    for (int d = 0; d < sum.length; d++) {
      out[d] = (float) (sum[d] / norm);
    }
    return out;
  }
}
