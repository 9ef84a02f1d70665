package dev.corpusforge.pipelines.cli;

import dev.corpusforge.annotators.decompose.DocumentTokenizer;
import dev.corpusforge.annotators.graph.PromptTemplate;
import dev.corpusforge.annotators.graph.SampleSerializer;
import dev.corpusforge.annotators.graph.WalkRule;
import dev.corpusforge.pipelines.graphsummary.AlignRule;
import dev.corpusforge.pipelines.graphsummary.GraphColumns;
import dev.corpusforge.pipelines.graphsummary.GraphSummaryConfig;
import dev.corpusforge.pipelines.graphsummary.GraphSummaryPipeline;
import dev.corpusforge.pipelines.graphsummary.SeedSelection;
import dev.corpusforge.pipelines.llm.LlmConfig;
import dev.corpusforge.pipelines.run.OutputFiles;
import dev.corpusforge.pipelines.run.RunDriver;
import dev.corpusforge.schemas.GraphSummarySample;
import dev.corpusforge.schemas.Reject;
import dev.corpusforge.scorers.MiniLmBundle;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code forge run graph-summary}: GraphCLIP-style subgraph ↔ summary pairs from a text-attributed
 * graph.
 */
@Command(
    name = "graph-summary",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Sample a subgraph around every seed node of a text-attributed graph (random walk with restart), serialise it as GraphML in a prompt, summarise it → data/ Parquet and exports/graphclip/summary.json.")
public final class GraphSummaryCommand implements Callable<Integer> {
  @Mixin RunOptions run;

  @Mixin ChatEndpointOptions chat = new ChatEndpointOptions();

  @Mixin ModelRuntimeOptions runtime = new ModelRuntimeOptions();

  @Option(
      names = "--nodes",
      split = ",",
      paramLabel = "URI",
      description =
          "Node tables: .csv/.tsv (with a header), .jsonl/.json/.ndjson or .parquet; globs allowed; local or s3://. Repeatable.")
  List<String> nodes;

  @Option(
      names = "--edges",
      split = ",",
      paramLabel = "URI",
      description =
          "Edge tables, same formats. Optional: without edges every node is a one-node sample.")
  List<String> edges = new ArrayList<>();

  @Option(names = "--output", paramLabel = "URI", description = "Output folder, local or s3://.")
  String output;

  @Option(names = "--node-id-col", defaultValue = "id", description = "Default: ${DEFAULT-VALUE}.")
  String nodeIdColumn;

  @Option(
      names = "--node-text-col",
      defaultValue = "text",
      description =
          "Node text: its first line is the title, the rest the description. Default: ${DEFAULT-VALUE}.")
  String nodeTextColumn;

  @Option(
      names = "--node-label-col",
      description = "Optional node label column (e.g. a class or section).")
  String nodeLabelColumn;

  @Option(
      names = "--edge-src-col",
      defaultValue = "src",
      description = "Default: ${DEFAULT-VALUE}.")
  String edgeSrcColumn;

  @Option(
      names = "--edge-dst-col",
      defaultValue = "dst",
      description = "Default: ${DEFAULT-VALUE}.")
  String edgeDstColumn;

  @Option(
      names = "--seeds",
      defaultValue = "all",
      description =
          "all, sample:N (N nodes drawn with --seed), or a file of node ids, one per line. Nodes that are no seed are not_a_seed rejects. Default: ${DEFAULT-VALUE}.")
  String seeds;

  @Option(
      names = "--walk-length",
      defaultValue = "" + WalkRule.DEFAULT_WALK_LENGTH,
      description =
          "Steps of the random walk with restart (GraphCLIP: 64). Default: ${DEFAULT-VALUE}.")
  int walkLength;

  @Option(
      names = "--restart",
      defaultValue = "" + WalkRule.DEFAULT_RESTART,
      description =
          "Probability of jumping back to the seed at each step (GraphCLIP: 0.5). Default: ${DEFAULT-VALUE}.")
  double restart;

  @Option(
      names = "--max-nodes",
      defaultValue = "" + WalkRule.DEFAULT_MAX_NODES,
      description =
          "Stop a walk before it brings in more nodes than this; 0: no cap. Default: ${DEFAULT-VALUE}.")
  int maxNodes;

  @Option(
      names = "--seed",
      defaultValue = "0",
      description = "Run seed, mixed with each seed node's id. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(
      names = "--skip-isolated",
      description =
          "A seed without edges is the reject isolated_node instead of a one-node sample.")
  boolean skipIsolated;

  @Option(
      names = "--relation",
      defaultValue = SampleSerializer.Options.DEFAULT_RELATION,
      description =
          "The GraphML edge key's value (GraphCLIP hard-coded 'co-purchasing'). Default: ${DEFAULT-VALUE}.")
  String relation;

  @Option(
      names = "--max-node-chars",
      defaultValue = "" + SampleSerializer.Options.DEFAULT_MAX_NODE_CHARS,
      description = "Cap on each node's title and description. Default: ${DEFAULT-VALUE}.")
  int maxNodeChars;

  @Option(
      names = "--prompt-token-budget",
      defaultValue = "" + SampleSerializer.Options.DEFAULT_PROMPT_TOKEN_BUDGET,
      description =
          "Whole-prompt cap in --tokenizer tokens; nodes farthest from the seed are dropped first; 0: no cap. Default: ${DEFAULT-VALUE}.")
  int promptTokenBudget;

  @Option(
      names = "--max-summary-tokens",
      defaultValue = "" + SampleSerializer.Options.DEFAULT_MAX_SUMMARY_TOKENS,
      description =
          "Summary length asked for (GraphCLIP: 400); longer summaries are summary_too_long rejects. Default: ${DEFAULT-VALUE}.")
  int maxSummaryTokens;

  @Option(
      names = "--prompt",
      defaultValue = "citation",
      description =
          "Built-in template: citation (GraphCLIP's task) or generic. Default: ${DEFAULT-VALUE}.")
  String prompt;

  @Option(
      names = "--prompt-template",
      paramLabel = "FILE",
      description =
          "A template file with {graphml} and optionally {relation}, {seed_id}, {seed_title}, {max_summary_tokens}; overrides --prompt.")
  String promptTemplate;

  @Option(
      names = "--tokenizer",
      defaultValue = "cl100k_base",
      description =
          "Counts prompt and summary tokens: a JTokkit encoding or a tokenizer.json path. Default: ${DEFAULT-VALUE}.")
  String tokenizer;

  @Option(
      names = "--summarizer",
      defaultValue = "extractive",
      description =
          "extractive (deterministic, from the sample's own texts) or openai (any OpenAI-compatible chat-completions server: vLLM, TGI, …). Default: ${DEFAULT-VALUE}.")
  String summarizer;

  @Option(
      names = "--llm-temperature",
      defaultValue = "" + LlmConfig.DEFAULT_TEMPERATURE,
      description = "GraphCLIP: 0.8. Default: ${DEFAULT-VALUE}.")
  double temperature;

  @Option(
      names = "--llm-top-p",
      defaultValue = "" + LlmConfig.DEFAULT_TOP_P,
      description = "GraphCLIP: 0.95. Default: ${DEFAULT-VALUE}.")
  double topP;

  @Option(
      names = "--llm-max-tokens",
      defaultValue = "" + LlmConfig.DEFAULT_MAX_TOKENS,
      description = "New tokens per answer (GraphCLIP: 512). Default: ${DEFAULT-VALUE}.")
  int llmMaxTokens;

  @Option(
      names = "--llm-concurrency",
      defaultValue = "" + LlmConfig.DEFAULT_CONCURRENCY,
      description = "Requests in flight per worker. Default: ${DEFAULT-VALUE}.")
  int llmConcurrency;

  @Option(
      names = "--llm-backoff-ms",
      defaultValue = "" + LlmConfig.DEFAULT_BACKOFF_MILLIS,
      description = "First wait before a retry, doubled each time. Default: ${DEFAULT-VALUE}.")
  long llmBackoffMillis;

  @Option(
      names = "--align-model",
      defaultValue = MiniLmBundle.BUILT_IN,
      paramLabel = "BUNDLE",
      description =
          "Text bundle that scores summaries against their node texts; minilm: the pretrained all-MiniLM-L6-v2 built in; minilm-q: the same with int8 weights, 2.4x as fast on a CPU, embeddings at cosine ~0.99 to minilm's. Default: ${DEFAULT-VALUE}.")
  String alignModel;

  @Option(names = "--no-align", description = "No alignment score and no alignment filter.")
  boolean noAlign;

  @Option(
      names = "--min-align",
      defaultValue = "" + AlignRule.DEFAULT_MIN_ALIGN,
      description =
          "Samples whose summary scores under this against their node texts are align_below_threshold. Default: ${DEFAULT-VALUE}.")
  double minAlign;

  @Option(
      names = "--align-batch-size",
      defaultValue = "" + AlignRule.DEFAULT_BATCH_SIZE,
      description = "Texts per encoder pass. Default: ${DEFAULT-VALUE}.")
  int alignBatchSize;

  @Option(
      names = "--export",
      split = ",",
      defaultValue = "graphclip",
      paramLabel = "FORMAT",
      description =
          "Trainer formats under exports/: graphclip (summary.json with the whole graph's node numbers, nodes.json) and/or graphclip-dense (summary.json renumbered 0..n-1 over the kept samples' nodes, seeds first so id = position = the seed's number, with x.npy, labels.json and nodes.parquet: the MiniLM node embeddings and --node-label-col's labels; GraphCLIP's utils/process.py reads it unmodified). Default: ${DEFAULT-VALUE}.")
  List<String> exports;

  GraphSummaryConfig config() throws IOException {
    if (nodes == null || nodes.isEmpty() || output == null) {
      throw new IllegalArgumentException("graph-summary needs --nodes and --output");
    }
    PromptTemplate template =
        promptTemplate == null
            ? PromptTemplate.builtIn(prompt)
            : new PromptTemplate(promptTemplate, OutputFiles.readString(promptTemplate));
    return new GraphSummaryConfig(
        nodes,
        edges,
        output,
        new GraphColumns(
            nodeIdColumn, nodeTextColumn, nodeLabelColumn, edgeSrcColumn, edgeDstColumn),
        new SeedSelection(seeds),
        new WalkRule(walkLength, restart, maxNodes, seed),
        skipIsolated,
        new SampleSerializer.Options(relation, maxNodeChars, promptTokenBudget, maxSummaryTokens),
        template,
        new DocumentTokenizer.Spec(tokenizer, null),
        llm(),
        new AlignRule(
            noAlign ? null : alignModel,
            minAlign,
            runtime.deviceChoice(),
            runtime.threads,
            alignBatchSize),
        exports);
  }

  private LlmConfig llm() {
    return switch (summarizer) {
      case "extractive" -> {
        if (chat.given()) {
          throw new IllegalArgumentException(
              "--endpoint and --llm-model are for --summarizer openai");
        }
        yield null;
      }
      case "openai" ->
          chat.config(output, temperature, topP, llmMaxTokens, llmConcurrency, llmBackoffMillis);
      default ->
          throw new IllegalArgumentException(
              "--summarizer must be extractive or openai, not '" + summarizer + "'");
    };
  }

  static RunDriver.Job job(GraphSummaryConfig config) {
    List<String> inputs = new ArrayList<>(config.nodes());
    inputs.addAll(config.edges());
    return new RunDriver.Job(
        GraphSummaryPipeline.NAME,
        inputs,
        config.output(),
        config,
        Map.of("data", GraphSummarySample.getClassSchema(), "reject", Reject.getClassSchema()),
        p -> GraphSummaryPipeline.build(p, config));
  }

  @Override
  public Integer call() throws Exception {
    GraphSummaryConfig config = config();
    try (DocumentTokenizer t = config.tokenizer().open()) {
      t.endOfText();
    }
    return Forge.drive(job(config), run.settings());
  }
}
