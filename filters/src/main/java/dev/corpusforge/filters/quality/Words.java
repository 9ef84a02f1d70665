package dev.corpusforge.filters.quality;

import java.util.ArrayList;
import java.util.List;

/**
 * Word tokens as the quality rules count them, close to NLTK's {@code word_tokenize} that DataTrove
 * uses: white-space separated, with leading and trailing punctuation split off into tokens of their
 * own; a run of punctuation alone (a reStructuredText underline {@code =====}, a rule {@code ----})
 * stays one token. {@link #isPunctuation} tells punctuation tokens apart.
 */
final class Words {
  private Words() {}

  static List<String> tokens(String text) {
    List<String> tokens = new ArrayList<>();
    for (String raw : text.split("\\s+")) {
      if (raw.isEmpty()) {
        continue;
      }
      if (raw.chars().allMatch(c -> isPunctuation((char) c))) {
        tokens.add(raw);
        continue;
      }
      int start = 0;
      int end = raw.length();
      while (start < end && isPunctuation(raw.charAt(start))) {
        tokens.add(String.valueOf(raw.charAt(start)));
        start++;
      }
      List<String> tail = new ArrayList<>();
      while (end > start && isPunctuation(raw.charAt(end - 1))) {
        tail.add(0, String.valueOf(raw.charAt(end - 1)));
        end--;
      }
      if (end > start) {
        tokens.add(raw.substring(start, end));
      }
      tokens.addAll(tail);
    }
    return tokens;
  }

  /** ASCII punctuation, Python's {@code string.punctuation}. */
  static boolean isPunctuation(char c) {
    return c < 128 && "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~".indexOf(c) >= 0;
  }

  static boolean isPunctuation(String token) {
    return !token.isEmpty() && token.chars().allMatch(c -> isPunctuation((char) c));
  }
}
