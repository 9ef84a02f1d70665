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
    int i = 0;
    int length = text.length();
    while (i < length) {
      while (i < length && isSpace(text.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < length && !isSpace(text.charAt(i))) {
        i++;
      }
      if (i > start) {
        addTokens(text.substring(start, i), tokens);
      }
    }
    return tokens;
  }

  /** One white-space separated piece: its leading and trailing punctuation split off. */
  private static void addTokens(String raw, List<String> tokens) {
    if (isPunctuation(raw)) {
      tokens.add(raw);
      return;
    }
    int start = 0;
    int end = raw.length();
    while (start < end && isPunctuation(raw.charAt(start))) {
      tokens.add(String.valueOf(raw.charAt(start)));
      start++;
    }
    int tailFrom = end;
    while (end > start && isPunctuation(raw.charAt(end - 1))) {
      end--;
    }
    if (end > start) {
      tokens.add(raw.substring(start, end));
    }
    for (int c = end; c < tailFrom; c++) {
      tokens.add(String.valueOf(raw.charAt(c)));
    }
  }

  /** White space as the regular expression {@code \s} has it: ASCII space, tab, line breaks. */
  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
  }

  /** ASCII punctuation, Python's {@code string.punctuation}. */
  static boolean isPunctuation(char c) {
    return c < 128 && "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~".indexOf(c) >= 0;
  }

  static boolean isPunctuation(String token) {
    if (token.isEmpty()) {
      return false;
    }
    for (int i = 0; i < token.length(); i++) {
      if (!isPunctuation(token.charAt(i))) {
        return false;
      }
    }
    return true;
  }
}
