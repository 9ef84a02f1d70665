package dev.corpusforge.annotators.region;

import java.util.ArrayList;
import java.util.List;

/**
 * COCO's run-length encoding of a {@link BinaryMask}, as pycocotools' {@code maskApi.c} writes it:
 * runs over the pixels in column-major order (down each column, then the next column), starting
 * with a run of zeros (possibly empty), alternating zeros and ones. The compressed {@code counts}
 * string stores each run, minus the run two before it from the fourth on, in 5-bit groups with a
 * continuation bit, offset by 48 into printable ASCII.
 */
public final class CocoRle {
  private CocoRle() {}

  /** A compressed RLE: {@code size} is {@code [height, width]}. */
  public record Rle(int height, int width, String counts) {}

  public static Rle encode(BinaryMask mask) {
    return new Rle(mask.height(), mask.width(), countsToString(runs(mask)));
  }

  public static BinaryMask decode(Rle rle) {
    return fromRuns(rle.height(), rle.width(), countsFromString(rle.counts()));
  }

  /** The uncompressed runs of a mask (COCO's {@code counts} list). */
  public static long[] runs(BinaryMask mask) {
    int h = mask.height();
    int w = mask.width();
    List<Long> runs = new ArrayList<>();
    boolean current = false;
    long length = 0;
    for (int x = 0; x < w; x++) {
      for (int y = 0; y < h; y++) {
        boolean v = mask.get(x, y);
        if (v != current) {
          runs.add(length);
          length = 0;
          current = v;
        }
        length++;
      }
    }
    runs.add(length);
    return runs.stream().mapToLong(Long::longValue).toArray();
  }

  /** A mask from uncompressed runs; they must cover exactly {@code height × width} pixels. */
  public static BinaryMask fromRuns(int height, int width, long[] runs) {
    BinaryMask mask = new BinaryMask(width, height);
    long total = (long) width * height;
    long position = 0;
    boolean value = false;
    for (long run : runs) {
      if (run < 0 || position + run > total) {
        throw new IllegalArgumentException(
            "RLE runs cover more than the "
                + height
                + "×"
                + width
                + " mask (or a run is negative)");
      }
      if (value) {
        for (long p = position; p < position + run; p++) {
          mask.set((int) (p / height), (int) (p % height), true);
        }
      }
      position += run;
      value = !value;
    }
    if (position != total) {
      throw new IllegalArgumentException(
          "RLE runs cover " + position + " pixels of a " + height + "×" + width + " mask");
    }
    return mask;
  }

  /** pycocotools' {@code rleToString}. */
  public static String countsToString(long[] runs) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < runs.length; i++) {
      long x = runs[i];
      if (i > 2) {
        x -= runs[i - 2];
      }
      boolean more = true;
      while (more) {
        int c = (int) (x & 0x1f);
        x >>= 5;
        more = (c & 0x10) != 0 ? x != -1 : x != 0;
        if (more) {
          c |= 0x20;
        }
        s.append((char) (c + 48));
      }
    }
    return s.toString();
  }

  /** pycocotools' {@code rleFrString}; a character outside the alphabet is refused. */
  public static long[] countsFromString(String counts) {
    List<Long> runs = new ArrayList<>();
    int p = 0;
    while (p < counts.length()) {
      long x = 0;
      int k = 0;
      boolean more = true;
      while (more) {
        if (p >= counts.length()) {
          throw new IllegalArgumentException("RLE counts string ends inside a number");
        }
        int c = counts.charAt(p) - 48;
        if (c < 0 || c > 63) {
          throw new IllegalArgumentException(
              "RLE counts string has '" + counts.charAt(p) + "' at " + p);
        }
        if (k > 12) {
          throw new IllegalArgumentException("RLE counts string has a number too long at " + p);
        }
        x |= (long) (c & 0x1f) << (5 * k);
        more = (c & 0x20) != 0;
        p++;
        k++;
        if (!more && (c & 0x10) != 0) {
          x |= -1L << (5 * k);
        }
      }
      int m = runs.size();
      if (m > 2) {
        x += runs.get(m - 2);
      }
      runs.add(x);
    }
    return runs.stream().mapToLong(Long::longValue).toArray();
  }
}
