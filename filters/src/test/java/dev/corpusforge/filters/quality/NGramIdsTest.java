package dev.corpusforge.filters.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** N-gram ids against the joined strings they stand for, on texts with many repeats. */
class NGramIdsTest {
  @Test
  void idsAreEqualExactlyWhenTheJoinedNGramsAre() {
    Random random = new Random(7);
    for (int round = 0; round < 50; round++) {
      List<String> words = new ArrayList<>();
      int size = random.nextInt(400);
      for (int i = 0; i < size; i++) {
        // a small vocabulary, words of one to three letters: many repeated n-grams
        words.add("abc".substring(0, 1 + random.nextInt(3)) + (char) ('a' + random.nextInt(3)));
      }
      NGramIds grams = new NGramIds(words);
      for (int n = 1; n <= 10; n++) {
        int[] ids = grams.ids(n);
        int[] lengths = grams.lengths(n);
        assertEquals(Math.max(0, size - n + 1), ids.length);
        Map<String, Integer> idOf = new HashMap<>();
        Map<Integer, String> stringOf = new HashMap<>();
        for (int i = 0; i < ids.length; i++) {
          String joined = String.join(" ", words.subList(i, i + n));
          assertEquals(joined.length(), lengths[i]);
          Integer id = idOf.putIfAbsent(joined, ids[i]);
          assertEquals(id == null ? ids[i] : id, ids[i], "one n-gram, one id: " + joined);
          String other = stringOf.putIfAbsent(ids[i], joined);
          assertEquals(other == null ? joined : other, joined, "one id, one n-gram");
        }
        assertEquals(idOf.size(), grams.distinct(n));
      }
    }
  }
}
