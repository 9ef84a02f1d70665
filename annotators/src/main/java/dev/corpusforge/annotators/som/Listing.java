package dev.corpusforge.annotators.som;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The "list items one by one" answer: {@code "1. label\n2. label…"} in mark order. Labels are made
 * single-line (any run of whitespace, newlines included, becomes one space) and cut to a length, so
 * one label can neither break the numbering nor swamp the answer.
 */
public final class Listing {
  public static final int DEFAULT_MAX_LABEL_CHARS = 100;
  private static final Pattern WHITESPACE = Pattern.compile("[\\s\\p{Z}\\p{Cc}]+");
  private static final Pattern ITEM = Pattern.compile("^\\s*(\\d+)\\s*[.):]\\s*(.*?)\\s*$");

  private Listing() {}

  /**
   * The label on one line, at most {@code maxChars} code points (cut ones end in "…"); empty for
   * null.
   */
  public static String clean(String label, int maxChars) {
    if (label == null) {
      return "";
    }
    String s = WHITESPACE.matcher(label).replaceAll(" ").strip();
    if (s.codePointCount(0, s.length()) <= maxChars) {
      return s;
    }
    return s.substring(0, s.offsetByCodePoints(0, Math.max(0, maxChars - 1))).strip() + "…";
  }

  /** {@code "1. a\n2. b"} for labels {@code [a, b]}. */
  public static String of(List<String> labels) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < labels.size(); i++) {
      s.append(i == 0 ? "" : "\n").append(i + 1).append(". ").append(labels.get(i));
    }
    return s.toString();
  }

  /**
   * The labels of an answer that lists exactly the marks 1…{@code marks} in order, one per line
   * ({@code "1. cat"}, {@code "2) dog"}; lines that are not items are ignored), or null when it
   * does not.
   */
  public static List<String> parse(String answer, int marks) {
    List<String> labels = new ArrayList<>();
    for (String line : answer.split("\\R")) {
      Matcher m = ITEM.matcher(line);
      if (!m.matches()) {
        continue;
      }
      int n;
      try {
        n = Integer.parseInt(m.group(1));
      } catch (NumberFormatException e) {
        return null;
      }
      if (n != labels.size() + 1 || m.group(2).isEmpty()) {
        return null;
      }
      labels.add(m.group(2));
    }
    return labels.size() == marks ? labels : null;
  }
}
