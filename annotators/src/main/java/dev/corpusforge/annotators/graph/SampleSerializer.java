package dev.corpusforge.annotators.graph;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import java.util.stream.IntStream;

/**
 * Turns a sample into GraphML and a prompt within a token budget. A node's text is split into a
 * title (its first line) and a description (the rest), each cut to {@code maxNodeChars}. While the
 * prompt is over {@code promptTokenBudget} tokens, nodes are dropped farthest from the seed first
 * (most hops, then latest reached), with their edges; dropping in that order keeps the rest
 * connected to the seed. The seed is never dropped: if it alone is over budget, its description is
 * halved until it fits.
 */
public final class SampleSerializer {
  /**
   * @param relation the edge key's value (GraphCLIP hard-codes "co-purchasing")
   * @param maxNodeChars cap on a node's title and on its description, in chars
   * @param promptTokenBudget cap on the whole prompt, in tokens; 0 for none
   * @param maxSummaryTokens what the prompt asks the summary to stay within
   */
  public record Options(
      String relation, int maxNodeChars, int promptTokenBudget, int maxSummaryTokens)
      implements Serializable {
    public static final String DEFAULT_RELATION = "cites";
    public static final int DEFAULT_MAX_NODE_CHARS = 1000;
    public static final int DEFAULT_PROMPT_TOKEN_BUDGET = 6000;
    public static final int DEFAULT_MAX_SUMMARY_TOKENS = 400;
  }

  /**
   * The kept part of the sample, its GraphML and the prompt; {@code trimmed} nodes were dropped.
   */
  public record Serialized(
      GraphSample sample,
      GraphMl.Node[] nodes,
      String graphml,
      String prompt,
      int promptTokens,
      int trimmed)
      implements Serializable {}

  private final TextGraph graph;
  private final Options options;
  private final PromptTemplate template;
  private final ToIntFunction<String> tokens;

  public SampleSerializer(
      TextGraph graph,
      Options options,
      PromptTemplate template,
      ToIntFunction<String> tokenCounter) {
    this.graph = graph;
    this.options = options;
    this.template = template;
    this.tokens = tokenCounter;
  }

  public Serialized serialize(GraphSample sample) {
    GraphMl.Node[] all = new GraphMl.Node[sample.size()];
    for (int i = 0; i < all.length; i++) {
      all[i] = node(sample.nodes()[i]);
    }
    int keep = sample.size();
    Serialized s = build(sample, all, keep);
    // keep the most nodes, nearest first, that fit: more nodes never make a shorter prompt
    if (over(s)) {
      int lo = 1;
      int hi = keep - 1;
      Serialized best = build(sample, all, 1);
      while (lo <= hi) {
        int mid = (lo + hi) >>> 1;
        Serialized t = build(sample, all, mid);
        if (over(t)) {
          hi = mid - 1;
        } else {
          best = t;
          lo = mid + 1;
        }
      }
      s = best;
      while (over(s) && s.nodes()[0].description().length() > 0) {
        all[0] =
            new GraphMl.Node(
                all[0].id(),
                all[0].title(),
                all[0].description().substring(0, all[0].description().length() / 2));
        s = build(sample, all, 1);
      }
    }
    return s;
  }

  private boolean over(Serialized s) {
    return options.promptTokenBudget() > 0 && s.promptTokens() > options.promptTokenBudget();
  }

  /**
   * The sample cut to its first {@code count} nodes in keep order (seed, then nearest, earliest).
   */
  private Serialized build(GraphSample sample, GraphMl.Node[] all, int count) {
    Integer[] byCloseness = IntStream.range(0, sample.size()).boxed().toArray(Integer[]::new);
    Arrays.sort(
        byCloseness,
        Comparator.<Integer>comparingInt(i -> sample.hops()[i])
            .thenComparing(Comparator.naturalOrder()));
    boolean[] kept = new boolean[sample.size()];
    for (int i = 0; i < count; i++) {
      kept[byCloseness[i]] = true;
    }
    int[] newIndex = new int[sample.size()];
    List<Integer> nodes = new ArrayList<>();
    for (int i = 0; i < sample.size(); i++) {
      newIndex[i] = kept[i] ? nodes.size() : -1;
      if (kept[i]) {
        nodes.add(i);
      }
    }
    List<int[]> edges = new ArrayList<>();
    for (int e = 0; e < sample.edgeSrc().length; e++) {
      if (kept[sample.edgeSrc()[e]] && kept[sample.edgeDst()[e]]) {
        edges.add(new int[] {newIndex[sample.edgeSrc()[e]], newIndex[sample.edgeDst()[e]]});
      }
    }
    GraphMl.Node[] ns = nodes.stream().map(i -> all[i]).toArray(GraphMl.Node[]::new);
    int[] src = edges.stream().mapToInt(e -> e[0]).toArray();
    int[] dst = edges.stream().mapToInt(e -> e[1]).toArray();
    GraphSample cut =
        new GraphSample(
            nodes.stream().mapToInt(i -> sample.nodes()[i]).toArray(),
            src,
            dst,
            nodes.stream().mapToInt(i -> sample.hops()[i]).toArray());
    String graphml = GraphMl.write(ns, src, dst, options.relation());
    String prompt =
        template.fill(
            Map.of(
                "graphml",
                graphml,
                "relation",
                options.relation(),
                "seed_id",
                ns[0].id(),
                "seed_title",
                ns[0].title(),
                "max_summary_tokens",
                Integer.toString(options.maxSummaryTokens())));
    return new Serialized(
        cut, ns, graphml, prompt, tokens.applyAsInt(prompt), sample.size() - count);
  }

  GraphMl.Node node(int graphNode) {
    String text = graph.text(graphNode) == null ? "" : graph.text(graphNode).strip();
    int nl = text.indexOf('\n');
    String title = nl < 0 ? text : text.substring(0, nl).strip();
    String description = nl < 0 ? "" : text.substring(nl + 1).strip();
    return new GraphMl.Node(graph.id(graphNode), cut(title), cut(description));
  }

  private String cut(String s) {
    if (s.length() <= options.maxNodeChars()) {
      return s;
    }
    int end = options.maxNodeChars();
    if (Character.isHighSurrogate(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(0, end) + "…";
  }
}
