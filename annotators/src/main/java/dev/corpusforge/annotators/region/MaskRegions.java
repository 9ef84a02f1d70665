package dev.corpusforge.annotators.region;

import boofcv.alg.filter.binary.BinaryImageOps;
import boofcv.struct.ConnectRule;
import boofcv.struct.image.GrayS32;
import boofcv.struct.image.GrayU8;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The separate regions of a mask: its 8-connected components, labelled by BoofCV, largest first
 * (ties: the one whose first pixel comes first in row-major order). Two objects of one entity that
 * both annotators marked are two regions of the consensus mask.
 */
public final class MaskRegions {
  private MaskRegions() {}

  /** Every region of {@code mask}, largest first; none for an empty mask. */
  public static List<BinaryMask> of(BinaryMask mask) {
    int w = mask.width();
    int h = mask.height();
    GrayU8 binary = new GrayU8(w, h);
    for (int i = mask.nextSet(0); i >= 0; i = mask.nextSet(i + 1)) {
      binary.data[i] = 1;
    }
    GrayS32 labels = new GrayS32(w, h);
    int count = BinaryImageOps.contour(binary, ConnectRule.EIGHT, labels).size();
    List<BinaryMask> regions = new ArrayList<>(count);
    for (int r = 0; r < count; r++) {
      regions.add(new BinaryMask(w, h));
    }
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int label = labels.get(x, y);
        if (label > 0) {
          regions.get(label - 1).set(x, y, true);
        }
      }
    }
    regions.removeIf(BinaryMask::isEmpty);
    regions.sort(
        Comparator.comparingLong(BinaryMask::area).reversed().thenComparingInt(m -> m.nextSet(0)));
    return regions;
  }
}
