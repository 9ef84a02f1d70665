package dev.corpusforge.annotators.som;

import dev.corpusforge.annotators.region.BinaryMask;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Set-of-Mark's numbering (CORPORA.md §3, steps 3–5): masks sorted by area, smallest first (ties
 * keep their input order); each mask loses the pixels already taken by the kept smaller ones; a
 * mask left with fewer than {@code minPixels} (110) is skipped and takes nothing; the rest are
 * numbered 1…N in that order. A mark's anchor is the pixel of its remaining mask farthest from
 * its border (exact L2 distance transform, the mask padded by one pixel), the middle one in
 * row-major order when several tie, shifted by ({@code +2}, {@code −6}).
 */
public final class MarkLayout {
  public static final int DEFAULT_MIN_PIXELS = 110;
  public static final int ANCHOR_DX = 2;
  public static final int ANCHOR_DY = -6;

  private MarkLayout() {}

  /** A numbered mark: {@code source} is the index of its mask in the input list. */
  public record Mark(int id, int source, BinaryMask mask, long area, int x, int y) {}

  public static List<Mark> layout(List<BinaryMask> masks, int minPixels) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < masks.size(); i++) {
      order.add(i);
    }
    long[] areas = masks.stream().mapToLong(BinaryMask::area).toArray();
    order.sort(Comparator.comparingLong(i -> areas[i]));
    List<Mark> marks = new ArrayList<>();
    BinaryMask taken = null;
    for (int i : order) {
      BinaryMask own = taken == null ? masks.get(i).copy() : masks.get(i).minus(taken);
      long area = own.area();
      if (area < minPixels) {
        continue;
      }
      taken = taken == null ? own.copy() : taken.or(own);
      int[] anchor = anchor(own);
      marks.add(new Mark(marks.size() + 1, i, own, area, anchor[0] + ANCHOR_DX, anchor[1] + ANCHOR_DY));
    }
    return marks;
  }

  /** The deepest pixel of a non-empty mask, before the shift: {x, y}. */
  static int[] anchor(BinaryMask mask) {
    double[] d = DistanceTransform.squared(mask);
    double max = 0;
    for (double v : d) {
      max = Math.max(max, v);
    }
    List<Integer> deepest = new ArrayList<>();
    for (int i = 0; i < d.length; i++) {
      if (d[i] == max && mask.get(i)) {
        deepest.add(i);
      }
    }
    int p = deepest.get(deepest.size() / 2);
    return new int[] {p % mask.width(), p / mask.width()};
  }
}
