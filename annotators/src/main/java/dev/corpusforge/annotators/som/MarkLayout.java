package dev.corpusforge.annotators.som;

import dev.corpusforge.annotators.region.BinaryMask;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Set-of-Mark's numbering (CORPORA.md §3, steps 3–5): masks sorted by area, smallest first (ties
 * keep their input order); each mask loses the pixels already taken by the kept smaller ones; a
 * mask left with fewer than {@code minPixels} (110) is skipped and takes nothing; the rest are
 * numbered 1…N in that order. A mark's anchor ({@code x}, {@code y}) is the pixel of its remaining
 * mask farthest from its border (exact L2 distance transform, the mask padded by one pixel), the
 * middle one in row-major order when several tie, so it always lies inside the mark; its number is
 * drawn centred on the anchor shifted by ({@code +2}, {@code −6}) ({@link Mark#textX()}, {@link
 * Mark#textY()}), as Set-of-Mark's visualizer does.
 */
public final class MarkLayout {
  public static final int DEFAULT_MIN_PIXELS = 110;
  public static final int ANCHOR_DX = 2;
  public static final int ANCHOR_DY = -6;

  private MarkLayout() {}

  /**
   * A numbered mark: {@code source} is the index of its mask in the input list; ({@code x}, {@code
   * y}) its anchor.
   */
  public record Mark(int id, int source, BinaryMask mask, long area, int x, int y)
      implements java.io.Serializable {
    /** Where the number's centre is drawn. */
    public int textX() {
      return x + ANCHOR_DX;
    }

    public int textY() {
      return y + ANCHOR_DY;
    }
  }

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
      marks.add(new Mark(marks.size() + 1, i, own, area, anchor[0], anchor[1]));
    }
    return marks;
  }

  /**
   * The deepest pixel of a non-empty mask: {x, y}. Computed on the mask's bounding box (plus the
   * one-pixel padding the transform adds), which gives the same distances as the whole frame.
   */
  static int[] anchor(BinaryMask mask) {
    int[] box = mask.bbox();
    BinaryMask crop = new BinaryMask(box[2], box[3]);
    for (int y = 0; y < box[3]; y++) {
      for (int x = 0; x < box[2]; x++) {
        crop.set(x, y, mask.get(box[0] + x, box[1] + y));
      }
    }
    double[] d = DistanceTransform.squared(crop);
    double max = 0;
    for (double v : d) {
      max = Math.max(max, v);
    }
    List<Integer> deepest = new ArrayList<>();
    for (int i = 0; i < d.length; i++) {
      if (d[i] == max && crop.get(i)) {
        deepest.add(i);
      }
    }
    int p = deepest.get(deepest.size() / 2);
    return new int[] {box[0] + p % crop.width(), box[1] + p / crop.width()};
  }
}
