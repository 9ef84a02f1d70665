package dev.corpusforge.filters.quality;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The word n-grams of one text as small integers: two n-grams have the same id exactly when their
 * words are the same (an n-gram's id is that of its first n − 1 words paired with its last word's),
 * with the length of the n-gram joined by single spaces. Words hold no white space, so equal ids
 * are equal joined strings: the repetition rules count ids instead of building and hashing each
 * n-gram's string.
 */
final class NGramIds {
  private final List<int[]> ids = new ArrayList<>();
  private final List<int[]> lengths = new ArrayList<>();
  private final List<Integer> distinct = new ArrayList<>();

  NGramIds(List<String> words) {
    Map<String, Integer> byWord = new HashMap<>();
    int[] first = new int[words.size()];
    int[] firstLengths = new int[words.size()];
    for (int i = 0; i < words.size(); i++) {
      String w = words.get(i);
      Integer id = byWord.putIfAbsent(w, byWord.size());
      first[i] = id == null ? byWord.size() - 1 : id;
      firstLengths[i] = w.length();
    }
    ids.add(first);
    lengths.add(firstLengths);
    distinct.add(byWord.size());
  }

  /** The id of each n-gram, by its first word's position; empty with fewer than n words. */
  int[] ids(int n) {
    extendTo(n);
    return ids.get(n - 1);
  }

  /** The characters of each n-gram, its words joined by single spaces. */
  int[] lengths(int n) {
    extendTo(n);
    return lengths.get(n - 1);
  }

  /** How many distinct ids there are among the n-grams (ids run from 0 to this − 1). */
  int distinct(int n) {
    extendTo(n);
    return distinct.get(n - 1);
  }

  private void extendTo(int n) {
    int[] words = ids.get(0);
    int[] wordLengths = lengths.get(0);
    while (ids.size() < n) {
      int[] shorter = ids.get(ids.size() - 1);
      int[] shorterLengths = lengths.get(lengths.size() - 1);
      int size = ids.size() + 1;
      int count = Math.max(0, words.length - size + 1);
      int[] next = new int[count];
      int[] nextLengths = new int[count];
      Map<Long, Integer> byPair = new HashMap<>();
      for (int i = 0; i < count; i++) {
        long pair = ((long) shorter[i] << 32) | words[i + size - 1];
        Integer id = byPair.putIfAbsent(pair, byPair.size());
        next[i] = id == null ? byPair.size() - 1 : id;
        nextLengths[i] = shorterLengths[i] + 1 + wordLengths[i + size - 1];
      }
      ids.add(next);
      lengths.add(nextLengths);
      distinct.add(byPair.size());
    }
  }
}
