package dev.corpusforge.pipelines.graphsummary;

/**
 * Reason codes of the graph-summary pipeline (read reasons shared with other sources are in
 * ReadReasons).
 */
public final class GraphReasons {
  private GraphReasons() {}

  public static final String GRAPH = "graph";
  public static final String SAMPLE = "sample";
  public static final String SUMMARIZE = "summarize";
  public static final String ALIGN = "align";

  /** A node row without a value in --node-id-col. */
  public static final String NODE_ID_MISSING = "node_id_missing";

  /** A second row for a node id: the row first in file order is the node. */
  public static final String DUPLICATE_NODE = "duplicate_node";

  /** A node that is not among --seeds. */
  public static final String NOT_A_SEED = "not_a_seed";

  /** A seed without edges, with --skip-isolated. */
  public static final String ISOLATED_NODE = "isolated_node";

  /** The seed alone is over --prompt-token-budget. */
  public static final String PROMPT_OVER_BUDGET = "prompt_over_budget";

  public static final String SUMMARY_EMPTY = "summary_empty";
  public static final String SUMMARY_TOO_LONG = "summary_too_long";
  public static final String ALIGN_BELOW_THRESHOLD = "align_below_threshold";

  /**
   * Edge rows left out of the graph (counted in the manifest, not rejects: they are no samples).
   */
  public static final String EDGE_MALFORMED = "edge_malformed_row";

  public static final String EDGE_ENDPOINT_MISSING = "edge_endpoint_missing";
}
