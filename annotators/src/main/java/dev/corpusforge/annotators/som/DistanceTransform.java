package dev.corpusforge.annotators.som;

import dev.corpusforge.annotators.region.BinaryMask;

/**
 * Exact Euclidean distance transform (Felzenszwalb and Huttenlocher, "Distance Transforms of
 * Sampled Functions", 2012): for every set pixel, the distance to the nearest unset pixel, the
 * outside of the mask counting as unset (as OpenCV's {@code distanceTransform} on a mask padded by
 * one pixel, which Set-of-Mark uses). Two passes of the one-dimensional lower envelope of
 * parabolas, columns then rows; squared distances are exact integers.
 */
public final class DistanceTransform {
  private static final double INF = 1e20;

  private DistanceTransform() {}

  /** Squared distances, row-major, 0 outside the mask. */
  public static double[] squared(BinaryMask mask) {
    int w = mask.width() + 2;
    int h = mask.height() + 2;
    double[] f = new double[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        boolean in = x > 0 && y > 0 && x < w - 1 && y < h - 1 && mask.get(x - 1, y - 1);
        f[y * w + x] = in ? INF : 0;
      }
    }
    double[] column = new double[h];
    double[] out = new double[Math.max(w, h)];
    for (int x = 0; x < w; x++) {
      for (int y = 0; y < h; y++) {
        column[y] = f[y * w + x];
      }
      lowerEnvelope(column, h, out);
      for (int y = 0; y < h; y++) {
        f[y * w + x] = out[y];
      }
    }
    double[] row = new double[w];
    for (int y = 0; y < h; y++) {
      System.arraycopy(f, y * w, row, 0, w);
      lowerEnvelope(row, w, out);
      System.arraycopy(out, 0, f, y * w, w);
    }
    double[] result = new double[mask.width() * mask.height()];
    for (int y = 0; y < mask.height(); y++) {
      System.arraycopy(f, (y + 1) * w + 1, result, y * mask.width(), mask.width());
    }
    return result;
  }

  /** d(q) = min over p of (q − p)² + f(p), for q in 0 … n − 1. */
  private static void lowerEnvelope(double[] f, int n, double[] d) {
    int[] v = new int[n];
    double[] z = new double[n + 1];
    int k = 0;
    v[0] = 0;
    z[0] = -INF;
    z[1] = INF;
    for (int q = 1; q < n; q++) {
      double s =
          ((f[q] + (double) q * q) - (f[v[k]] + (double) v[k] * v[k])) / (2.0 * q - 2.0 * v[k]);
      while (s <= z[k]) {
        k--;
        s = ((f[q] + (double) q * q) - (f[v[k]] + (double) v[k] * v[k])) / (2.0 * q - 2.0 * v[k]);
      }
      k++;
      v[k] = q;
      z[k] = s;
      z[k + 1] = INF;
    }
    k = 0;
    for (int q = 0; q < n; q++) {
      while (z[k + 1] < q) {
        k++;
      }
      d[q] = (double) (q - v[k]) * (q - v[k]) + f[v[k]];
    }
  }
}
