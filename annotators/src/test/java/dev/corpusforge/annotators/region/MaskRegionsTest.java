package dev.corpusforge.annotators.region;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MaskRegionsTest {
  private static void fill(BinaryMask m, int x0, int y0, int w, int h) {
    for (int y = y0; y < y0 + h; y++) {
      for (int x = x0; x < x0 + w; x++) {
        m.set(x, y, true);
      }
    }
  }

  @Test
  void separateObjectsAreRegionsLargestFirstAndTouchingCornersJoin() {
    BinaryMask m = new BinaryMask(40, 30);
    fill(m, 0, 0, 5, 5); // touches the image's corner
    fill(m, 20, 10, 10, 8); // the largest
    fill(m, 30, 18, 3, 3); // meets the largest at one corner only: the same region
    fill(m, 35, 0, 5, 5); // as large as the first, later in row-major order
    List<BinaryMask> regions = MaskRegions.of(m);
    assertEquals(3, regions.size());
    assertEquals(80 + 9, regions.get(0).area());
    assertArrayEquals(new int[] {20, 10, 13, 11}, regions.get(0).bbox());
    assertArrayEquals(new int[] {0, 0, 5, 5}, regions.get(1).bbox());
    assertArrayEquals(new int[] {35, 0, 5, 5}, regions.get(2).bbox());
    // the regions partition the mask
    BinaryMask union = new BinaryMask(40, 30);
    long sum = 0;
    for (BinaryMask r : regions) {
      assertEquals(0, union.and(r).area(), "regions overlap");
      union = union.or(r);
      sum += r.area();
    }
    assertEquals(m, union);
    assertEquals(m.area(), sum);
  }

  @Test
  void ringWithAHoleIsOneRegionAndAnEmptyMaskHasNone() {
    BinaryMask ring = new BinaryMask(12, 12);
    fill(ring, 1, 1, 10, 10);
    BinaryMask hole = new BinaryMask(12, 12);
    fill(hole, 4, 4, 4, 4);
    ring = ring.minus(hole);
    fill(ring, 5, 5, 2, 2); // an island inside the hole
    List<BinaryMask> regions = MaskRegions.of(ring);
    assertEquals(2, regions.size());
    assertEquals(100 - 16, regions.get(0).area());
    assertEquals(4, regions.get(1).area());
    assertTrue(MaskRegions.of(new BinaryMask(7, 3)).isEmpty());
  }
}
