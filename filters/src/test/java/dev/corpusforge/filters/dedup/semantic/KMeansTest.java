package dev.corpusforge.filters.dedup.semantic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class KMeansTest {
  /** A unit vector near axis {@code axis} of {@code dim}, jittered by {@code noise}. */
  static float[] near(int axis, int dim, double noise, SplittableRandom r) {
    float[] v = new float[dim];
    for (int d = 0; d < dim; d++) {
      v[d] = (float) ((d == axis ? 1 : 0) + noise * (r.nextDouble() - 0.5));
    }
    return unit(v);
  }

  static float[] unit(float[] v) {
    double n = 0;
    for (float x : v) {
      n += x * x;
    }
    float[] out = new float[v.length];
    for (int d = 0; d < v.length; d++) {
      out[d] = (float) (v[d] / Math.sqrt(n));
    }
    return out;
  }

  @Test
  void separatedGroupsGetOneCentroidEach() {
    SplittableRandom r = new SplittableRandom(3);
    List<float[]> points = new ArrayList<>();
    for (int i = 0; i < 90; i++) {
      points.add(near(i % 3, 8, 0.2, r));
    }
    float[][] p = points.toArray(new float[0][]);
    float[][] centroids = KMeans.fit(p, 3, 11, 50);
    assertEquals(3, centroids.length);
    TreeSet<Integer> axes = new TreeSet<>();
    for (float[] c : centroids) {
      int axis = 0;
      for (int d = 1; d < c.length; d++) {
        axis = c[d] > c[axis] ? d : axis;
      }
      axes.add(axis);
      assertEquals(1.0, KMeans.dot(c, c), 1e-5, "unit centroids");
      assertTrue(c[axis] > 0.95, "a centroid on its group's axis");
    }
    assertEquals(List.of(0, 1, 2), List.copyOf(axes), "one centroid per group");
    for (int i = 0; i < p.length; i++) {
      int c = KMeans.nearest(centroids, p[i]);
      assertEquals(KMeans.nearest(centroids, p[i % 3]), c, "each point with its own group");
    }
    float[][] again = KMeans.fit(p, 3, 11, 50);
    for (int c = 0; c < 3; c++) {
      assertArrayEquals(centroids[c], again[c], "same seed, same centroids");
    }
  }

  @Test
  void moreClustersThanPointsAndIdenticalPoints() {
    float[] a = unit(new float[] {1, 2, 3});
    float[][] same = {a, a.clone(), a.clone()};
    float[][] centroids = KMeans.fit(same, 10, 1, 20);
    assertEquals(3, centroids.length, "never more clusters than points");
    for (float[] c : centroids) {
      for (float x : c) {
        assertTrue(Float.isFinite(x), "an empty cluster leaves no NaN");
      }
    }
    assertEquals(0, KMeans.fit(new float[0][], 4, 1, 20).length);
  }
}
