package dev.corpusforge.annotators.som;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ListingTest {
  @Test
  void labelsAreOneLineAndCut() {
    assertEquals("red car", Listing.clean("  red\ncar\r\n", 100));
    assertEquals("a b", Listing.clean("a\u2028\tb", 100));
    String long10k = "x".repeat(10_000);
    String cut = Listing.clean(long10k, 100);
    assertEquals(100, cut.codePointCount(0, cut.length()));
    assertTrue(cut.endsWith("…"));
    assertEquals("", Listing.clean(null, 10));
    assertEquals(
        "😀😀…", Listing.clean("😀😀😀😀", 3), "cut on code points, never inside a surrogate pair");
  }

  @Test
  void listingNumbersLabelsInOrder() {
    assertEquals("1. cat\n2. dog\n3. red car", Listing.of(List.of("cat", "dog", "red car")));
  }

  @Test
  void anAnswerMustListExactlyTheMarks() {
    assertEquals(List.of("cat", "dog"), Listing.parse("Here they are:\n1. cat\n2) dog\n", 2));
    assertNull(Listing.parse("1. cat\n3. dog", 2), "a number skipped");
    assertNull(Listing.parse("1. cat", 2), "a mark missing");
    assertNull(Listing.parse("1. cat\n2. dog\n3. bird", 2), "a mark too many");
    assertNull(Listing.parse("1.\n2. dog", 2), "an empty label");
    assertNull(Listing.parse("99999999999999999999. cat", 1));
  }
}
