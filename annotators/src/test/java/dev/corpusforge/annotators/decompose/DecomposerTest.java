package dev.corpusforge.annotators.decompose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DecomposerTest {
  static final Decomposer RELEASED = new Decomposer(DecomposeRule.defaults());
  static final Decomposer LARGEST =
      new Decomposer(new DecomposeRule(8, 13, DecomposeRule.Split.LARGEST_FIRST, true, 0));
  static final Decomposer EXACT =
      new Decomposer(new DecomposeRule(8, 13, DecomposeRule.Split.RELEASED, false, 0));

  /** The properties every split has, whatever the document length and the mode. */
  @Test
  void everySplitIsContiguousInsideTheDocumentWithAllowedLengthsAndBalancedTokens() {
    Random r = new Random(42);
    for (Decomposer d : List.of(RELEASED, LARGEST, EXACT)) {
      for (int trial = 0; trial < 3000; trial++) {
        int n = trial < 40 ? trial : r.nextInt(trial % 3 == 0 ? 200_000 : 20_000);
        Decomposer.Split s = d.split(n, "doc-" + trial);
        long offset = 0;
        long out = 0;
        for (Decomposer.Chunk c : s.chunks()) {
          assertEquals(offset, c.offset(), "contiguous, no overlap");
          assertTrue(c.k() >= 8 && c.k() <= 13, "bucket " + c.k());
          int expected = (1 << c.k()) + (d == EXACT ? 0 : 1);
          assertEquals(expected, c.length());
          offset += c.length();
          out += c.length();
        }
        assertTrue(offset <= n, "inside the document");
        assertEquals(n, out + s.droppedTail(), "tokens in = tokens out + dropped");
        assertTrue(
            s.droppedTail() < 256 + (d == EXACT ? 0 : 1),
            "only a remainder below the smallest chunk is dropped: " + s.droppedTail());
      }
    }
  }

  @Test
  void knownLengths() {
    // 256 tokens: no 2^8 + 1 chunk fits; dropped whole
    assertEquals(List.of(), RELEASED.split(256, "a").chunks());
    assertEquals(256, RELEASED.split(256, "a").droppedTail());
    // exactly 2^8 + 1: one chunk, nothing dropped
    assertEquals(List.of(new Decomposer.Chunk(0, 257, 8)), RELEASED.split(257, "a").chunks());
    assertEquals(0, RELEASED.split(257, "a").droppedTail());
    // 1288 = (2^10 + 1) + (2^8 + 1) + 6: two chunks, a 6-token tail
    Decomposer.Split s = LARGEST.split(1288, "a");
    assertEquals(
        List.of(new Decomposer.Chunk(0, 1025, 10), new Decomposer.Chunk(1025, 257, 8)), s.chunks());
    assertEquals(6, s.droppedTail());
    // exact powers: 1024 tokens is one chunk of 2^10
    assertEquals(List.of(new Decomposer.Chunk(0, 1024, 10)), EXACT.split(1024, "a").chunks());
    // a 1-token and an empty document
    assertEquals(1, RELEASED.split(1, "a").droppedTail());
    assertEquals(0, RELEASED.split(0, "a").chunks().size());
  }

  @Test
  void beyondTheLargestBucketLargestFirstTakesItAndReleasedDrawsPerDocument() {
    Decomposer.Split largest = LARGEST.split(3 * 8193, "a");
    assertEquals(3, largest.chunks().size());
    assertTrue(largest.chunks().stream().allMatch(c -> c.k() == 13));
    // released: the same document key gives the same split; draws cover every bucket, with about
    // the same expected tokens per bucket
    assertEquals(RELEASED.split(1_000_000, "doc"), RELEASED.split(1_000_000, "doc"));
    long[] tokens = new long[14];
    for (int doc = 0; doc < 200; doc++) {
      for (Decomposer.Chunk c : RELEASED.split(200_000, "doc" + doc).chunks()) {
        tokens[c.k()] += c.length();
      }
    }
    for (int k = 8; k <= 13; k++) {
      double share = tokens[k] / (double) java.util.Arrays.stream(tokens).sum();
      assertEquals(1 / 6.0, share, 0.03, "bucket " + k);
    }
  }

  @Test
  void aStreamedDocumentSplitsAsTheWholeDoes() {
    for (Decomposer d : List.of(RELEASED, LARGEST, EXACT)) {
      for (int n : new int[] {0, 1, 300, 16_385, 16_386, 40_000, 123_457}) {
        Decomposer.Split whole = d.split(n, "streamed");
        Decomposer.Cursor cursor = d.cursor("streamed");
        List<Decomposer.Chunk> chunks = new java.util.ArrayList<>();
        // tokens arrive 1,000 at a time; undecided chunks wait for more
        for (long known = Math.min(n, 1000); ; known = Math.min(n, known + 1000)) {
          boolean complete = known == n;
          for (Decomposer.Chunk c = cursor.next(known - cursor.offset(), complete);
              c != null;
              c = cursor.next(known - cursor.offset(), complete)) {
            chunks.add(c);
          }
          if (complete) {
            break;
          }
        }
        assertEquals(whole.chunks(), chunks, "length " + n);
        assertEquals(whole.droppedTail(), n - cursor.offset());
      }
    }
  }
}
