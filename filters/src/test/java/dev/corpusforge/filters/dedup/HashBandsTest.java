package dev.corpusforge.filters.dedup;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HashBandsTest {
  @Test
  void hashesWithinTheRadiusShareABand() {
    HashBands bands = new HashBands(4);
    SplittableRandom random = new SplittableRandom(7);
    for (int trial = 0; trial < 2000; trial++) {
      long a = random.nextLong();
      long b = a;
      int flips = random.nextInt(5);
      for (int f = 0; f < flips; f++) {
        b ^= 1L << random.nextInt(64);
      }
      boolean shared = false;
      for (int i = 0; i < bands.count(); i++) {
        shared |= bands.key(a, i).equals(bands.key(b, i));
      }
      assertTrue(shared, "no shared band for " + Long.toHexString(a) + " / " + Long.toHexString(b));
    }
  }
}
