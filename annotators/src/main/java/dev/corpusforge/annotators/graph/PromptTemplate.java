package dev.corpusforge.annotators.graph;

import java.io.Serializable;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The instruction sent with a sample's GraphML. Placeholders: {@code {graphml}} (required), {@code
 * {relation}}, {@code {seed_id}}, {@code {seed_title}}, {@code {max_summary_tokens}}. Built in:
 * {@code citation} (GraphCLIP's task: the seed paper and the themes of its neighbours) and {@code
 * generic}.
 */
public record PromptTemplate(String name, String text) implements Serializable {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_]+)\\}");
  private static final java.util.Set<String> KNOWN =
      java.util.Set.of("graphml", "relation", "seed_id", "seed_title", "max_summary_tokens");

  public static final PromptTemplate CITATION =
      new PromptTemplate(
          "citation",
          """
      Below is part of a citation graph in GraphML. Each node is a paper with a title and a \
      description; an edge means "{relation}". The first node, "{seed_title}", is the centre.

      {graphml}

      Summarise the centre paper and the main research themes of the papers linked to it, in \
      at most {max_summary_tokens} tokens of plain prose.""");

  public static final PromptTemplate GENERIC =
      new PromptTemplate(
          "generic",
          """
      Below is a subgraph in GraphML. Each node has a title and a description; an edge means \
      "{relation}". The first node, "{seed_title}", is the centre.

      {graphml}

      Describe the centre node and what the nodes around it have in common, in at most \
      {max_summary_tokens} tokens of plain prose.""");

  public PromptTemplate {
    if (!text.contains("{graphml}")) {
      throw new IllegalArgumentException(
          "prompt template '" + name + "' has no {graphml} placeholder");
    }
    Matcher m = PLACEHOLDER.matcher(text);
    while (m.find()) {
      if (!KNOWN.contains(m.group(1))) {
        throw new IllegalArgumentException(
            "prompt template '"
                + name
                + "': unknown placeholder {"
                + m.group(1)
                + "}; known: "
                + KNOWN);
      }
    }
  }

  /** A built-in by name. */
  public static PromptTemplate builtIn(String name) {
    return switch (name) {
      case "citation" -> CITATION;
      case "generic" -> GENERIC;
      default ->
          throw new IllegalArgumentException(
              "--prompt must be citation or generic (or give --prompt-template FILE), not '"
                  + name
                  + "'");
    };
  }

  public String fill(Map<String, String> values) {
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(values.getOrDefault(m.group(1), "")));
    }
    return m.appendTail(out).toString();
  }
}
