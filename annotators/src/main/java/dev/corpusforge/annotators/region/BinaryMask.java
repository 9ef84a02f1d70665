package dev.corpusforge.annotators.region;

import java.io.Serializable;
import java.util.BitSet;

/**
 * A binary mask over a {@code width × height} image, stored row-major one bit per pixel. Masks of
 * different sizes never compare: {@link #iou} and the set operations need equal sizes.
 */
public final class BinaryMask implements Serializable {
  private final int width;
  private final int height;
  private final BitSet bits;

  public BinaryMask(int width, int height) {
    this(width, height, new BitSet());
  }

  private BinaryMask(int width, int height, BitSet bits) {
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException(
          "a mask needs a positive size, not " + width + "×" + height);
    }
    if ((long) width * height > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "a mask of " + width + "×" + height + " pixels is too large");
    }
    this.width = width;
    this.height = height;
    this.bits = bits;
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  public boolean get(int x, int y) {
    return bits.get(y * width + x);
  }

  public void set(int x, int y, boolean on) {
    bits.set(y * width + x, on);
  }

  /** Pixel {@code i} in row-major order. */
  public boolean get(int i) {
    return bits.get(i);
  }

  public void set(int i, boolean on) {
    bits.set(i, on);
  }

  /** The first set pixel index at or after {@code from} (row-major), or -1. */
  public int nextSet(int from) {
    return bits.nextSetBit(from);
  }

  /** Pixels set. */
  public long area() {
    return bits.cardinality();
  }

  public boolean isEmpty() {
    return bits.isEmpty();
  }

  /** The area as a share of the image. */
  public double areaFraction() {
    return (double) area() / ((long) width * height);
  }

  /** COCO's box of the set pixels, {@code [x, y, w, h]}; {@code [0, 0, 0, 0]} when empty. */
  public int[] bbox() {
    if (bits.isEmpty()) {
      return new int[] {0, 0, 0, 0};
    }
    int minX = width;
    int maxX = -1;
    int minY = bits.nextSetBit(0) / width;
    int maxY = bits.previousSetBit(width * height - 1) / width;
    for (int i = bits.nextSetBit(0); i >= 0; i = bits.nextSetBit(i + 1)) {
      int x = i % width;
      minX = Math.min(minX, x);
      maxX = Math.max(maxX, x);
    }
    return new int[] {minX, minY, maxX - minX + 1, maxY - minY + 1};
  }

  public BinaryMask and(BinaryMask other) {
    sameSize(other);
    BitSet b = (BitSet) bits.clone();
    b.and(other.bits);
    return new BinaryMask(width, height, b);
  }

  public BinaryMask or(BinaryMask other) {
    sameSize(other);
    BitSet b = (BitSet) bits.clone();
    b.or(other.bits);
    return new BinaryMask(width, height, b);
  }

  /** This mask without the pixels of {@code other}. */
  public BinaryMask minus(BinaryMask other) {
    sameSize(other);
    BitSet b = (BitSet) bits.clone();
    b.andNot(other.bits);
    return new BinaryMask(width, height, b);
  }

  /** Intersection over union; two empty masks have IoU 0. */
  public double iou(BinaryMask other) {
    sameSize(other);
    BitSet inter = (BitSet) bits.clone();
    inter.and(other.bits);
    BitSet union = (BitSet) bits.clone();
    union.or(other.bits);
    int u = union.cardinality();
    return u == 0 ? 0 : (double) inter.cardinality() / u;
  }

  public BinaryMask copy() {
    return new BinaryMask(width, height, (BitSet) bits.clone());
  }

  private void sameSize(BinaryMask other) {
    if (other.width != width || other.height != height) {
      throw new IllegalArgumentException(
          "masks of different sizes: "
              + width
              + "×"
              + height
              + " and "
              + other.width
              + "×"
              + other.height);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BinaryMask m
        && m.width == width
        && m.height == height
        && m.bits.equals(bits);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * width + height) + bits.hashCode();
  }

  @Override
  public String toString() {
    return "BinaryMask[" + width + "×" + height + ", area " + area() + "]";
  }
}
