package dev.corpusforge.pipelines.decompose;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The {@code D_k} text members read as Java prints an int array: {@code [1, 2, 3]}. */
class TokenTextTest {
  private static void same(int[] tokens) {
    assertEquals(
        Arrays.toString(tokens),
        new String(TokenText.of(tokens), StandardCharsets.US_ASCII),
        "tokens " + Arrays.toString(tokens));
  }

  @Test
  void edgeValues() {
    same(new int[0]);
    same(new int[] {0});
    same(new int[] {9, 10, 99, 100, 999, 1000, 100_255});
    same(new int[] {-1, -10, Integer.MIN_VALUE, Integer.MAX_VALUE, 0});
  }

  @Test
  void randomSequences() {
    SplittableRandom random = new SplittableRandom(7);
    for (int n = 0; n < 200; n++) {
      int[] tokens = random.ints(random.nextInt(1, 300), 0, 200_000).toArray();
      same(tokens);
    }
    same(random.ints(1000).toArray());
  }
}
