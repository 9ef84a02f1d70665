package dev.corpusforge.pipelines.graphsummary;

import dev.corpusforge.annotators.decompose.DocumentTokenizer;
import dev.corpusforge.annotators.graph.PromptTemplate;
import dev.corpusforge.annotators.graph.SampleSerializer;
import dev.corpusforge.annotators.graph.WalkRule;
import dev.corpusforge.pipelines.llm.LlmConfig;
import dev.corpusforge.pipelines.run.UsesModels;
import java.io.Serializable;
import java.util.List;

/**
 * Every setting of a {@code graph-summary} run; echoed in the manifest.
 *
 * @param nodes node tables (CSV, TSV, JSON lines, Parquet; local or s3://)
 * @param edges edge tables
 * @param seeds which nodes get a sample
 * @param walk the random walk with restart
 * @param skipIsolated a seed without edges is the reject isolated_node instead of a one-node sample
 * @param serializer relation, per-node text cap, prompt token budget, summary length asked for
 * @param template the instruction around the GraphML
 * @param tokenizer counts prompt and summary tokens
 * @param llm the chat-completions endpoint that writes summaries; null: extractive summaries
 * @param align the alignment filter
 * @param exports {@code graphclip} ({@link GraphClipExport}) and/or {@code graphclip-dense} ({@link
 *     GraphClipDenseExport}, which needs the alignment's node embeddings)
 */
public record GraphSummaryConfig(
    List<String> nodes,
    List<String> edges,
    String output,
    GraphColumns columns,
    SeedSelection seeds,
    WalkRule walk,
    boolean skipIsolated,
    SampleSerializer.Options serializer,
    PromptTemplate template,
    DocumentTokenizer.Spec tokenizer,
    LlmConfig llm,
    AlignRule align,
    List<String> exports)
    implements Serializable, UsesModels {

  @Override
  public List<String> modelBundles() {
    return align.enabled() ? List.of(align.model()) : List.of();
  }

  public GraphSummaryConfig {
    nodes = List.copyOf(nodes);
    edges = List.copyOf(edges);
    exports = List.copyOf(exports);
    for (String e : exports) {
      if (!e.equals(GraphClipExport.FORMAT) && !e.equals(GraphClipDenseExport.FORMAT)) {
        throw new IllegalArgumentException(
            "unknown --export '" + e + "': graphclip or graphclip-dense");
      }
    }
    if (exports.contains(GraphClipDenseExport.FORMAT) && !align.enabled()) {
      throw new IllegalArgumentException(
          "--export graphclip-dense writes the node embeddings the alignment computes: drop --no-align");
    }
    if (nodes.isEmpty()) {
      throw new IllegalArgumentException("graph-summary needs --nodes");
    }
    if (output == null || output.isBlank()) {
      throw new IllegalArgumentException("graph-summary needs --output");
    }
    if (serializer.maxNodeChars() < 1
        || serializer.promptTokenBudget() < 0
        || serializer.maxSummaryTokens() < 1) {
      throw new IllegalArgumentException(
          "need --max-node-chars ≥ 1, --prompt-token-budget ≥ 0 and --max-summary-tokens ≥ 1");
    }
  }
}
