package dev.corpusforge.filters.dedup.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MinHashTest {
  private static final long PRIME = (1L << 61) - 1;

  @Test
  void theModularProductIsExact() {
    Random random = new Random(3);
    BigInteger p = BigInteger.valueOf(PRIME);
    for (int i = 0; i < 100_000; i++) {
      long a = Math.floorMod(random.nextLong(), PRIME);
      long x = i < 4 ? PRIME - 1 - i : Math.floorMod(random.nextLong(), PRIME);
      long want = BigInteger.valueOf(a).multiply(BigInteger.valueOf(x)).mod(p).longValueExact();
      assertEquals(want, MinHash.mulMod(a, x), a + " · " + x);
    }
  }

  @Test
  void theEstimateFollowsTheTrueJaccardSimilarity() {
    MinHash minHash = new MinHash(MinHash.Settings.DEFAULTS);
    Random random = new Random(5);
    List<String> words = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      words.add("w" + random.nextInt(5000));
    }
    String text = String.join(" ", words);
    for (double fraction : new double[] {0.0, 0.01, 0.05, 0.2}) {
      List<String> edited = new ArrayList<>(words);
      for (int i = 0; i < edited.size(); i++) {
        if (random.nextDouble() < fraction) {
          edited.set(i, "x" + random.nextInt());
        }
      }
      String other = String.join(" ", edited);
      double truth = jaccard(text, other);
      double estimate = MinHash.similarity(minHash.signature(text), minHash.signature(other));
      // 112 hash functions: the standard error is at most 0.05
      assertTrue(Math.abs(estimate - truth) < 0.15, fraction + ": " + estimate + " vs " + truth);
    }
    assertEquals(
        1.0,
        MinHash.similarity(minHash.signature(text), minHash.signature(text.toUpperCase())),
        "case is normalised away");
    assertNull(minHash.signature(" ... !! "), "no word, no signature");
    assertEquals(
        1.0,
        MinHash.similarity(minHash.signature("two words"), minHash.signature("Two, words!")),
        "a text shorter than a shingle is one shingle");
  }

  @Test
  void clustersAreTheConnectedComponentsWithTheSmallestIdAsSurvivor() {
    List<DuplicateClusters.Pair> pairs =
        List.of(
            new DuplicateClusters.Pair("d", "c", 0.9),
            new DuplicateClusters.Pair("b", "c", 0.9),
            new DuplicateClusters.Pair("x", "y", 0.85),
            new DuplicateClusters.Pair("e", "d", 0.95));
    DuplicateClusters fn = new DuplicateClusters();
    // any split of the pairs over accumulators, merged in any order, gives the same clusters
    Set<List<DuplicateClusters.Member>> outputs = new HashSet<>();
    for (int split = 0; split <= pairs.size(); split++) {
      DuplicateClusters.Forest first = fn.createAccumulator();
      DuplicateClusters.Forest second = fn.createAccumulator();
      for (int i = 0; i < pairs.size(); i++) {
        fn.addInput(i < split ? first : second, pairs.get(i));
      }
      outputs.add(fn.extractOutput(fn.mergeAccumulators(List.of(second, first))));
    }
    assertEquals(1, outputs.size(), outputs.toString());
    assertEquals(
        List.of(
            new DuplicateClusters.Member("c", "b", 4),
            new DuplicateClusters.Member("d", "b", 4),
            new DuplicateClusters.Member("e", "b", 4),
            new DuplicateClusters.Member("y", "x", 2)),
        outputs.iterator().next().stream().sorted((m, n) -> m.id().compareTo(n.id())).toList());
  }

  private static double jaccard(String a, String b) {
    Set<String> x = shingles(a);
    Set<String> y = shingles(b);
    Set<String> both = new HashSet<>(x);
    both.retainAll(y);
    x.addAll(y);
    return (double) both.size() / x.size();
  }

  private static Set<String> shingles(String text) {
    List<String> w = DocumentText.words(text);
    Set<String> out = new HashSet<>();
    for (int i = 0; i + 5 <= w.size(); i++) {
      out.add(String.join(" ", w.subList(i, i + 5)));
    }
    return out;
  }
}
