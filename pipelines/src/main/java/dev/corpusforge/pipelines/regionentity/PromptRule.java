package dev.corpusforge.pipelines.regionentity;

import java.io.Serializable;

/**
 * How a row's text prompt is made. Entity split (no question): {@code entityTemplate} with {@code
 * {name}} and {@code {type}} (the type or parent-class label; empty when unknown). Query split (the
 * row has a question): the LLM's referring phrase when {@code --query-rewriter openai}, otherwise
 * {@code queryTemplate}, which may also use {@code {question}}.
 */
public record PromptRule(String entityTemplate, String queryTemplate) implements Serializable {
  public static final String DEFAULT_ENTITY_TEMPLATE = "{type} {name}";

  public PromptRule {
    if (!entityTemplate.contains("{name}") && !entityTemplate.contains("{type}")) {
      throw new IllegalArgumentException("--entity-template needs {name} or {type}");
    }
  }

  String entityPrompt(RegionRow row) {
    return fill(entityTemplate, row);
  }

  String queryPrompt(RegionRow row) {
    return fill(queryTemplate, row);
  }

  static String fill(String template, RegionRow row) {
    String s =
        template
            .replace("{name}", row.entityName())
            .replace("{type}", row.entityType() == null ? "" : row.entityType())
            .replace("{question}", row.question() == null ? "" : row.question());
    return s.replaceAll("\\s+", " ").strip();
  }

  /** The instruction sent to the LLM for a query-split row. */
  static String rewriteInstruction(RegionRow row) {
    return "A question about an image is answered by the entity \""
        + row.entityName()
        + "\""
        + (row.entityType() == null ? "" : " (a " + row.entityType() + ")")
        + ". Rewrite the question into a short referring phrase, at most 8 words, naming the object in the image that the question is about."
        + " Answer with the phrase only.\nQuestion: "
        + row.question();
  }
}
