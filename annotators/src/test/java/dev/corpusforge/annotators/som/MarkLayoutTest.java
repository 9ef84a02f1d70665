package dev.corpusforge.annotators.som;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corpusforge.annotators.region.BinaryMask;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MarkLayoutTest {
  static BinaryMask box(int w, int h, int x0, int y0, int bw, int bh) {
    BinaryMask m = new BinaryMask(w, h);
    for (int y = y0; y < Math.min(h, y0 + bh); y++) {
      for (int x = x0; x < Math.min(w, x0 + bw); x++) {
        m.set(x, y, true);
      }
    }
    return m;
  }

  @Test
  void smallerMasksClaimFirstAndTinyRemaindersAreSkipped() {
    BinaryMask big = box(100, 100, 0, 0, 60, 60); // 3600 px
    BinaryMask small = box(100, 100, 10, 10, 20, 20); // 400 px, inside big
    BinaryMask sliver =
        box(100, 100, 10, 10, 20, 21); // 420 px: after small only 20 px left → skipped
    BinaryMask apart = box(100, 100, 70, 70, 12, 12); // 144 px
    List<MarkLayout.Mark> marks =
        MarkLayout.layout(List.of(big, small, sliver, apart), MarkLayout.DEFAULT_MIN_PIXELS);
    assertEquals(
        List.of(3, 1, 0),
        marks.stream().map(MarkLayout.Mark::source).toList(),
        "smallest first; the sliver skipped");
    assertEquals(List.of(1, 2, 3), marks.stream().map(MarkLayout.Mark::id).toList());
    assertEquals(
        3600 - 400,
        marks.get(2).area(),
        "the big mask lost what the small one took, not what the skipped sliver would have");
    // a 12×12 square's deepest pixels are its four centre pixels; in row-major order
    // (75,75), (76,75), (75,76), (76,76) the middle one (index 4 / 2) is (75, 76); the text (+2,
    // −6)
    assertArrayEquals(new int[] {75, 76}, MarkLayout.anchor(apart));
    assertEquals(75, marks.get(0).x());
    assertEquals(76, marks.get(0).y());
    assertEquals(77, marks.get(0).textX());
    assertEquals(70, marks.get(0).textY());
  }

  @Test
  void everyAnchorLiesInsideItsOwnMark() {
    Random r = new Random(4);
    for (int t = 0; t < 30; t++) {
      List<BinaryMask> masks = new ArrayList<>();
      for (int k = 0; k < 1 + r.nextInt(12); k++) {
        masks.add(
            box(120, 90, r.nextInt(100), r.nextInt(70), 5 + r.nextInt(60), 5 + r.nextInt(50)));
      }
      List<MarkLayout.Mark> marks = MarkLayout.layout(masks, MarkLayout.DEFAULT_MIN_PIXELS);
      BinaryMask taken = new BinaryMask(120, 90);
      for (int i = 0; i < marks.size(); i++) {
        MarkLayout.Mark m = marks.get(i);
        assertEquals(i + 1, m.id());
        assertTrue(m.area() >= MarkLayout.DEFAULT_MIN_PIXELS);
        assertTrue(m.mask().and(taken).isEmpty(), "marks never overlap");
        taken = taken.or(m.mask());
        assertTrue(m.mask().get(m.x(), m.y()), "anchor inside mark " + m.id());
      }
    }
  }

  @Test
  void theAnchorOnTheMasksBoxIsTheAnchorOnTheWholeFrame() {
    Random r = new Random(9);
    for (int t = 0; t < 40; t++) {
      BinaryMask m = new BinaryMask(90, 70);
      for (int k = 0; k < 1 + r.nextInt(4); k++) {
        int x0 = r.nextInt(80);
        int y0 = r.nextInt(60);
        int bw = 2 + r.nextInt(40);
        int bh = 2 + r.nextInt(30);
        for (int y = y0; y < Math.min(70, y0 + bh); y++) {
          for (int x = x0; x < Math.min(90, x0 + bw); x++) {
            m.set(x, y, true);
          }
        }
      }
      double[] d = DistanceTransform.squared(m);
      double max = 0;
      for (double v : d) {
        max = Math.max(max, v);
      }
      List<Integer> deepest = new ArrayList<>();
      for (int i = 0; i < d.length; i++) {
        if (d[i] == max && m.get(i)) {
          deepest.add(i);
        }
      }
      int p = deepest.get(deepest.size() / 2);
      assertArrayEquals(new int[] {p % 90, p / 90}, MarkLayout.anchor(m), "shape " + t);
    }
  }
}
