package dev.corpusforge.filters.decontamination;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import dev.corpusforge.filters.dedup.text.DocumentText;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The word n-grams of evaluation texts (Lee et al. 2022; GPT-3's 13-gram overlap), as sorted 64-bit
 * hashes with the source each came from first, so a worker holds 12 bytes per n-gram and looks one
 * up by binary search. Words are normalised as dedup normalises them ({@link DocumentText#words}).
 */
public final class NGramIndex implements Serializable {
  private static final HashFunction HASH = Hashing.murmur3_128(0xdec0);

  private final int n;
  private final long[] hashes;
  private final int[] sourceOf;
  private final List<String> sources;

  private NGramIndex(int n, long[] hashes, int[] sourceOf, List<String> sources) {
    this.n = n;
    this.hashes = hashes;
    this.sourceOf = sourceOf;
    this.sources = sources;
  }

  /** Builds the index of {@code texts} (each with the source it is named by in rejects). */
  public static NGramIndex of(int n, List<Map.Entry<String, String>> texts) {
    if (n < 1) {
      throw new IllegalArgumentException("--decont-ngram must be ≥ 1, not " + n);
    }
    Map<Long, Integer> first = new HashMap<>();
    List<String> sources = new ArrayList<>();
    Map<String, Integer> sourceIds = new HashMap<>();
    for (Map.Entry<String, String> t : texts) {
      int source =
          sourceIds.computeIfAbsent(
              t.getKey(),
              k -> {
                sources.add(k);
                return sources.size() - 1;
              });
      List<String> words = DocumentText.words(t.getValue());
      for (int i = 0; i + n <= words.size(); i++) {
        first.putIfAbsent(hash(words, i, n), source);
      }
    }
    long[] hashes = first.keySet().stream().mapToLong(Long::longValue).sorted().toArray();
    int[] sourceOf = new int[hashes.length];
    for (int i = 0; i < hashes.length; i++) {
      sourceOf[i] = first.get(hashes[i]);
    }
    return new NGramIndex(n, hashes, sourceOf, List.copyOf(sources));
  }

  public int n() {
    return n;
  }

  public int size() {
    return hashes.length;
  }

  /** The first n-gram of {@code text} found in the index, or null. */
  public Match firstMatch(String text) {
    List<String> words = DocumentText.words(text);
    for (int i = 0; i + n <= words.size(); i++) {
      int at = Arrays.binarySearch(hashes, hash(words, i, n));
      if (at >= 0) {
        return new Match(String.join(" ", words.subList(i, i + n)), sources.get(sourceOf[at]));
      }
    }
    return null;
  }

  /** A shared n-gram and the evaluation source it came from. */
  public record Match(String nGram, String source) {}

  private static long hash(List<String> words, int from, int n) {
    return HASH.hashString(String.join(" ", words.subList(from, from + n)), StandardCharsets.UTF_8)
        .asLong();
  }
}
