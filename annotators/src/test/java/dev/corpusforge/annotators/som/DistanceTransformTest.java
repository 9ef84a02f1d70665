package dev.corpusforge.annotators.som;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.corpusforge.annotators.region.BinaryMask;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DistanceTransformTest {
  /**
   * Brute force: the squared distance to the nearest unset pixel, the one-pixel frame around the
   * mask included.
   */
  static double[] bruteForce(BinaryMask m) {
    int w = m.width();
    int h = m.height();
    double[] out = new double[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        if (!m.get(x, y)) {
          continue;
        }
        double best = Double.MAX_VALUE;
        for (int v = -1; v <= h; v++) {
          for (int u = -1; u <= w; u++) {
            boolean unset = u < 0 || v < 0 || u >= w || v >= h || !m.get(u, v);
            if (unset) {
              best = Math.min(best, (double) (u - x) * (u - x) + (double) (v - y) * (v - y));
            }
          }
        }
        out[y * w + x] = best;
      }
    }
    return out;
  }

  @Test
  void matchesBruteForceOnRandomShapes() {
    Random r = new Random(9);
    for (int t = 0; t < 60; t++) {
      int w = 1 + r.nextInt(30);
      int h = 1 + r.nextInt(30);
      BinaryMask m = new BinaryMask(w, h);
      double p = r.nextDouble();
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          m.set(
              x,
              y,
              t % 2 == 0 ? r.nextDouble() < p : Math.hypot(x - w / 2.0, y - h / 3.0) < p * 20);
        }
      }
      double[] fast = DistanceTransform.squared(m);
      double[] slow = bruteForce(m);
      for (int i = 0; i < fast.length; i++) {
        assertEquals(slow[i], fast[i], 1e-9, "shape " + t + " pixel " + i);
      }
    }
  }

  @Test
  void aFullSquareIsDeepestAtItsCentre() {
    BinaryMask m = new BinaryMask(5, 5);
    for (int i = 0; i < 25; i++) {
      m.set(i, true);
    }
    double[] d = DistanceTransform.squared(m);
    assertEquals(9.0, d[12]); // centre: 3 pixels from the frame
    assertEquals(1.0, d[0]);
  }
}
