package dev.corpusforge.annotators.graph;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A deterministic summary built from the sample's own texts, no model: the seed's title and the
 * first sentence of its description, the titles of the nearest neighbours, and the words most
 * neighbours share (counted once per neighbour; stop words, words of fewer than four letters and
 * the graph's common words left out; ties in alphabetical order). The common words are those in
 * more than {@link #COMMON_SHARE} of all nodes' texts — boilerplate such as a field name every node
 * carries says nothing about a neighbourhood.
 */
public final class ExtractiveSummarizer {
  public static final String NAME = "extractive";
  private static final int NEIGHBOUR_TITLES = 5;
  private static final int THEMES = 6;
  private static final Pattern WORD = Pattern.compile("[\\p{L}][\\p{L}\\p{N}+\\-]{3,}");
  private static final Pattern SENTENCE_END = Pattern.compile("[.!?](\\s|$)");
  private static final Set<String> STOP_WORDS =
      Set.of(
          "this",
          "that",
          "with",
          "from",
          "have",
          "these",
          "those",
          "which",
          "their",
          "there",
          "also",
          "into",
          "more",
          "such",
          "than",
          "then",
          "them",
          "they",
          "when",
          "where",
          "will",
          "would",
          "should",
          "could",
          "been",
          "being",
          "were",
          "what",
          "about",
          "other",
          "only",
          "some",
          "most",
          "many",
          "each",
          "over",
          "under",
          "between",
          "while",
          "using",
          "used",
          "uses",
          "based",
          "provides",
          "provide",
          "package",
          "contains",
          "includes",
          "allows",
          "support",
          "supports",
          "your");

  /** A word in more than this share of the graph's nodes is no theme. */
  public static final double COMMON_SHARE = 0.2;

  private ExtractiveSummarizer() {}

  /** Words in more than {@code share} of the graph's node texts (lower case). */
  public static Set<String> commonWords(TextGraph graph, double share) {
    Map<String, Integer> counts = new java.util.HashMap<>();
    for (int v = 0; v < graph.nodeCount(); v++) {
      words(graph.text(v) == null ? "" : graph.text(v))
          .forEach(w -> counts.merge(w, 1, Integer::sum));
    }
    Set<String> common = new java.util.TreeSet<>();
    counts.forEach(
        (w, c) -> {
          if (c > share * graph.nodeCount()) {
            common.add(w);
          }
        });
    return common;
  }

  public static String summarize(GraphMl.Node[] nodes, int[] hops, String relation) {
    return summarize(nodes, hops, relation, Set.of());
  }

  public static String summarize(
      GraphMl.Node[] nodes, int[] hops, String relation, Set<String> commonWords) {
    GraphMl.Node seed = nodes[0];
    StringBuilder s = new StringBuilder(seed.title().isEmpty() ? seed.id() : seed.title());
    String first = firstSentence(seed.description());
    if (!first.isEmpty()) {
      s.append(s.toString().endsWith(".") ? " " : ". ").append(first);
    }
    if (nodes.length > 1) {
      List<String> titles = new ArrayList<>();
      for (int h = 1; titles.size() < NEIGHBOUR_TITLES && h <= maxHop(hops); h++) {
        for (int i = 1; i < nodes.length && titles.size() < NEIGHBOUR_TITLES; i++) {
          if (hops[i] == h) {
            titles.add(shortTitle(nodes[i]));
          }
        }
      }
      s.append(endSentence(s))
          .append("It is linked (")
          .append(relation)
          .append(") to ")
          .append(nodes.length - 1)
          .append(nodes.length == 2 ? " node: " : " nodes, among them ")
          .append(String.join("; ", titles))
          .append('.');
      List<String> themes = themes(nodes, commonWords);
      if (!themes.isEmpty()) {
        s.append(" Shared themes: ").append(String.join(", ", themes)).append('.');
      }
    } else {
      s.append(endSentence(s)).append("It has no linked nodes.");
    }
    return s.toString();
  }

  private static String endSentence(StringBuilder s) {
    char last = s.charAt(s.length() - 1);
    return last == '.' || last == '!' || last == '?' ? " " : ". ";
  }

  private static int maxHop(int[] hops) {
    int max = 0;
    for (int h : hops) {
      if (h != Integer.MAX_VALUE) {
        max = Math.max(max, h);
      }
    }
    return max;
  }

  private static String shortTitle(GraphMl.Node n) {
    String t = n.title().isEmpty() ? n.id() : n.title();
    return t.length() > 120 ? t.substring(0, 120) + "…" : t;
  }

  static String firstSentence(String text) {
    String flat = text.replaceAll("\\s+", " ").strip();
    Matcher m = SENTENCE_END.matcher(flat);
    String sentence = m.find() ? flat.substring(0, m.start() + 1) : flat;
    return sentence.length() > 300 ? sentence.substring(0, 300) + "…" : sentence;
  }

  /** The words the most neighbours use, each neighbour counted once per word. */
  static List<String> themes(GraphMl.Node[] nodes, Set<String> commonWords) {
    Map<String, Integer> counts = new TreeMap<>();
    for (int i = 1; i < nodes.length; i++) {
      Set<String> words = words(nodes[i].title() + " " + nodes[i].description());
      words.removeAll(commonWords);
      words.forEach(w -> counts.merge(w, 1, Integer::sum));
    }
    int needed = nodes.length > 2 ? 2 : 1;
    return counts.entrySet().stream()
        .filter(e -> e.getValue() >= needed)
        .sorted(
            (a, b) ->
                a.getValue().equals(b.getValue())
                    ? a.getKey().compareTo(b.getKey())
                    : b.getValue() - a.getValue())
        .limit(THEMES)
        .map(Map.Entry::getKey)
        .toList();
  }

  /** The distinct candidate theme words of a text, lower case, stop words left out. */
  private static Set<String> words(String text) {
    Set<String> words = new HashSet<>();
    Matcher m = WORD.matcher(text);
    while (m.find()) {
      String w = m.group().toLowerCase(Locale.ROOT);
      if (!STOP_WORDS.contains(w)) {
        words.add(w);
      }
    }
    return words;
  }
}
