package dev.corpusforge.annotators.region;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class CocoRleTest {
  /**
   * A published annotation (CloudFactory's COCO export documentation, decoded there with
   * pycocotools): its area and COCO box must come out of the counts string.
   */
  static final String PUBLISHED =
      "WRQR14oT20K?D5M0O7I6K3M005K3M004L0N4N001O02N001N2O0001O2N00001O02N0000N3O0000002N00001O000O1O1000000000001O00000N20000000O01000000000000N2000O10O1000N20O10000N200000O01000000N11000000000000N20000000000O3N00001O2N001O0N3O002M2O002M3L7J101H>A_SbS3";

  @Test
  void publishedExampleHasItsPublishedAreaAndBox() {
    BinaryMask mask = CocoRle.decode(new CocoRle.Rle(2211, 2097, PUBLISHED));
    assertEquals(6718, mask.area());
    assertArrayEquals(new int[] {504, 842, 117, 75}, mask.bbox());
    assertEquals(PUBLISHED, CocoRle.encode(mask).counts());
  }

  @Test
  void smallMasksByHand() {
    // 2×3 (h×w), column-major: column 0 = (0,0),(0,1); ones at (x=1,y=0),(x=1,y=1),(x=2,y=0)
    BinaryMask m = new BinaryMask(3, 2);
    m.set(1, 0, true);
    m.set(1, 1, true);
    m.set(2, 0, true);
    assertArrayEquals(new long[] {2, 3, 1}, CocoRle.runs(m));
    assertEquals(m, CocoRle.fromRuns(2, 3, new long[] {2, 3, 1}));
    BinaryMask full = new BinaryMask(2, 2);
    for (int i = 0; i < 4; i++) {
      full.set(i, true);
    }
    assertArrayEquals(new long[] {0, 4}, CocoRle.runs(full));
    assertArrayEquals(new long[] {4}, CocoRle.runs(new BinaryMask(2, 2)));
    assertArrayEquals(new long[] {0, 1}, CocoRle.runs(oneByOne(true)));
    assertEquals(oneByOne(true), CocoRle.decode(CocoRle.encode(oneByOne(true))));
    assertEquals(oneByOne(false), CocoRle.decode(CocoRle.encode(oneByOne(false))));
  }

  @Test
  void randomMasksRoundTrip() {
    Random r = new Random(7);
    for (int t = 0; t < 300; t++) {
      int w = 1 + r.nextInt(90);
      int h = 1 + r.nextInt(90);
      BinaryMask m = new BinaryMask(w, h);
      double p = r.nextDouble();
      boolean blobs = r.nextBoolean();
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          boolean on = blobs ? Math.hypot(x - w / 2.0, y - h / 2.0) < p * w : r.nextDouble() < p;
          m.set(x, y, on);
        }
      }
      CocoRle.Rle rle = CocoRle.encode(m);
      assertEquals(m, CocoRle.decode(rle), "mask " + t);
      assertArrayEquals(CocoRle.runs(m), CocoRle.countsFromString(rle.counts()));
      long ones = 0;
      long[] runs = CocoRle.runs(m);
      for (int i = 1; i < runs.length; i += 2) {
        ones += runs[i];
      }
      assertEquals(m.area(), ones);
    }
  }

  @Test
  void largeRunsAndNegativeDifferencesEncode() {
    long[] runs = {5_000_000L, 3, 1, 4_000_000L, 17, 0, 99};
    assertArrayEquals(runs, CocoRle.countsFromString(CocoRle.countsToString(runs)));
  }

  @Test
  void brokenCountsAreRefusedWithAReason() {
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> CocoRle.countsFromString("0 1"))
            .getMessage()
            .contains("' '"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> CocoRle.countsFromString("P"))
            .getMessage()
            .contains("ends inside"));
    assertThrows(IllegalArgumentException.class, () -> CocoRle.fromRuns(2, 2, new long[] {1, 1}));
    assertThrows(IllegalArgumentException.class, () -> CocoRle.fromRuns(2, 2, new long[] {3, 3}));
  }

  @Test
  void boxAreaAndIou() {
    BinaryMask a = new BinaryMask(10, 10);
    BinaryMask b = new BinaryMask(10, 10);
    for (int y = 2; y < 6; y++) {
      for (int x = 3; x < 7; x++) {
        a.set(x, y, true);
        b.set(x + 2, y, true);
      }
    }
    assertArrayEquals(new int[] {3, 2, 4, 4}, a.bbox());
    assertEquals(16, a.area());
    assertEquals(8.0 / 24.0, a.iou(b), 1e-12);
    assertEquals(0, new BinaryMask(3, 3).iou(new BinaryMask(3, 3)));
    assertThrows(IllegalArgumentException.class, () -> a.iou(new BinaryMask(9, 10)));
  }

  private static BinaryMask oneByOne(boolean on) {
    BinaryMask m = new BinaryMask(1, 1);
    m.set(0, on);
    return m;
  }
}
