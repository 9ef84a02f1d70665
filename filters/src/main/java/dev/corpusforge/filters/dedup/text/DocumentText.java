package dev.corpusforge.filters.dedup.text;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The forms of a document's text that duplicate detection compares: Unicode NFKC, lower case, and
 * either white space collapsed ({@link #normalised}, for exact duplicates) or split into words of
 * letters and digits ({@link #words}, for MinHash shingles), so that case, spacing, punctuation and
 * compatibility characters do not hide a copy.
 */
public final class DocumentText {
  private DocumentText() {}

  /** NFKC, lower case, every run of white space one space, no leading or trailing space. */
  public static String normalised(String text) {
    String folded = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    StringBuilder out = new StringBuilder(folded.length());
    boolean space = false;
    for (int i = 0; i < folded.length(); i++) {
      char c = folded.charAt(i);
      if (Character.isWhitespace(c)) {
        space = out.length() > 0;
      } else {
        if (space) {
          out.append(' ');
          space = false;
        }
        out.append(c);
      }
    }
    return out.toString();
  }

  /** The words of the text: maximal runs of letters and digits, NFKC and lower case. */
  public static List<String> words(String text) {
    String folded = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    List<String> words = new ArrayList<>();
    int start = -1;
    for (int i = 0; i < folded.length(); ) {
      int cp = folded.codePointAt(i);
      boolean inWord = Character.isLetterOrDigit(cp);
      if (inWord && start < 0) {
        start = i;
      } else if (!inWord && start >= 0) {
        words.add(folded.substring(start, i));
        start = -1;
      }
      i += Character.charCount(cp);
    }
    if (start >= 0) {
      words.add(folded.substring(start));
    }
    return words;
  }
}
