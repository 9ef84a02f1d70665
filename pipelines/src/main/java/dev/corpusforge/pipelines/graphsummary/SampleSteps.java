package dev.corpusforge.pipelines.graphsummary;

import dev.corpusforge.annotators.decompose.DocumentTokenizer;
import dev.corpusforge.annotators.graph.ExtractiveSummarizer;
import dev.corpusforge.annotators.graph.GraphSample;
import dev.corpusforge.annotators.graph.RandomWalkSampler;
import dev.corpusforge.annotators.graph.SampleSerializer;
import dev.corpusforge.annotators.graph.TextGraph;
import dev.corpusforge.core.Outcome;
import dev.corpusforge.core.RecordIdentity;
import dev.corpusforge.core.SideStep;
import dev.corpusforge.schemas.GraphSummarySample;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Set;

/**
 * The steps from a node to its sample, each reading the graph every worker holds: choose the seeds,
 * walk from a seed, write the sample's GraphML and prompt, summarise. What a step derives from the
 * whole graph (the chosen seeds, the sampler, the common words) it makes once per worker and graph.
 */
final class SampleSteps {
  private SampleSteps() {}

  /** A seed and the sample walked from it. */
  record Walked(GraphNode node, GraphSample sample) implements Serializable {}

  /** A seed and its sample written as GraphML and a prompt within the token budget. */
  record Prompted(GraphNode node, SampleSerializer.Serialized written) implements Serializable {}

  /** A step that counts tokens: its tokenizer opened once per worker. */
  abstract static class Counting implements Serializable {
    final GraphSummaryConfig config;
    transient DocumentTokenizer tokenizer;

    Counting(GraphSummaryConfig config) {
      this.config = config;
    }

    public void setup() throws IOException {
      tokenizer = config.tokenizer().open();
    }

    public void teardown() {
      if (tokenizer != null) {
        tokenizer.close();
      }
    }
  }

  static final RecordIdentity<GraphNode> NODE =
      RecordIdentity.of(n -> GraphSummaryPipeline.sampleId(n.id()), GraphNode::id);
  static final RecordIdentity<Walked> WALKED =
      RecordIdentity.of(w -> GraphSummaryPipeline.sampleId(w.node().id()), w -> w.node().id());
  static final RecordIdentity<Prompted> PROMPTED =
      RecordIdentity.of(p -> GraphSummaryPipeline.sampleId(p.node().id()), p -> p.node().id());

  /**
   * Keeps the nodes chosen by {@code --seeds}; the others are {@code not_a_seed}, and with {@code
   * --skip-isolated} a seed without edges is {@code isolated_node}.
   */
  static final class ChooseSeed implements SideStep<TextGraph, GraphNode, GraphNode> {
    private final GraphSummaryConfig config;
    private transient List<String> listed;
    private transient TextGraph chosenFrom;
    private transient BitSet seeds;

    ChooseSeed(GraphSummaryConfig config) {
      this.config = config;
    }

    /** Reads a seed file once per worker: one that cannot be read fails the run, not each node. */
    @Override
    public void setup() throws IOException {
      listed = config.seeds().listed();
    }

    @Override
    public Outcome<GraphNode> apply(GraphNode node, TextGraph graph) {
      if (chosenFrom != graph) {
        seeds = config.seeds().choose(graph, config.walk().seed(), listed).seeds();
        chosenFrom = graph;
      }
      int seed = graph.node(node.id());
      if (!seeds.get(seed)) {
        return Outcome.drop(GraphReasons.NOT_A_SEED, "not among --seeds " + config.seeds().spec());
      }
      if (config.skipIsolated() && graph.degree(seed) == 0) {
        return Outcome.drop(GraphReasons.ISOLATED_NODE, "the node has no edges (--skip-isolated)");
      }
      return Outcome.keep(node);
    }
  }

  /** The random walk with restart from a seed (GraphCLIP's sampler). */
  static final class WalkFromSeed implements SideStep<TextGraph, GraphNode, Walked> {
    private final GraphSummaryConfig config;
    private transient TextGraph walkedOn;
    private transient RandomWalkSampler sampler;

    WalkFromSeed(GraphSummaryConfig config) {
      this.config = config;
    }

    @Override
    public Outcome<Walked> apply(GraphNode node, TextGraph graph) {
      if (walkedOn != graph) {
        sampler = new RandomWalkSampler(graph, config.walk());
        walkedOn = graph;
      }
      return Outcome.keep(new Walked(node, sampler.sample(graph.node(node.id()))));
    }
  }

  /**
   * The sample's GraphML and prompt, nodes trimmed nearest-first to the prompt's token budget; a
   * seed that alone exceeds the budget is {@code prompt_over_budget}.
   */
  static final class WritePrompt extends Counting implements SideStep<TextGraph, Walked, Prompted> {
    private transient TextGraph writtenFrom;
    private transient SampleSerializer serializer;

    WritePrompt(GraphSummaryConfig config) {
      super(config);
    }

    @Override
    public Outcome<Prompted> apply(Walked walked, TextGraph graph) {
      if (writtenFrom != graph) {
        serializer =
            new SampleSerializer(
                graph,
                config.serializer(),
                config.template(),
                text -> tokenizer.encode(text).length - 1);
        writtenFrom = graph;
      }
      SampleSerializer.Serialized s = serializer.serialize(walked.sample());
      int budget = config.serializer().promptTokenBudget();
      if (budget > 0 && s.promptTokens() > budget) {
        return Outcome.drop(
            GraphReasons.PROMPT_OVER_BUDGET,
            s.promptTokens() + " prompt tokens with the seed alone, budget " + budget);
      }
      return Outcome.keep(new Prompted(walked.node(), s));
    }
  }

  /**
   * The extractive summary (the seed first, then its neighbours' leading sentences), which must
   * pass {@link SummaryCheck}.
   */
  static final class SummariseExtractively extends Counting
      implements SideStep<TextGraph, Prompted, GraphSummarySample> {
    private transient TextGraph countedFrom;
    private transient Set<String> commonWords;

    SummariseExtractively(GraphSummaryConfig config) {
      super(config);
    }

    @Override
    public Outcome<GraphSummarySample> apply(Prompted p, TextGraph graph) {
      if (countedFrom != graph) {
        commonWords = ExtractiveSummarizer.commonWords(graph, ExtractiveSummarizer.COMMON_SHARE);
        countedFrom = graph;
      }
      SampleSerializer.Serialized s = p.written();
      String summary =
          ExtractiveSummarizer.summarize(
                  s.nodes(), s.sample().hops(), config.serializer().relation(), commonWords)
              .strip();
      String[] problem =
          SummaryCheck.problem(summary, tokenizer, config.serializer().maxSummaryTokens());
      if (problem != null) {
        return Outcome.drop(problem[0], problem[1]);
      }
      return Outcome.keep(row(p, graph, summary, ExtractiveSummarizer.NAME));
    }
  }

  /** The sample's row with an empty summary, for the LLM to fill in. */
  static final class AwaitSummary implements SideStep<TextGraph, Prompted, GraphSummarySample> {
    private final String summarizer;

    AwaitSummary(String summarizer) {
      this.summarizer = summarizer;
    }

    @Override
    public Outcome<GraphSummarySample> apply(Prompted p, TextGraph graph) {
      return Outcome.keep(row(p, graph, "", summarizer));
    }
  }

  static GraphSummarySample row(Prompted p, TextGraph graph, String summary, String summarizer) {
    SampleSerializer.Serialized s = p.written();
    List<String> ids = new ArrayList<>();
    for (int v : s.sample().nodes()) {
      ids.add(graph.id(v));
    }
    return GraphSummarySample.newBuilder()
        .setSampleId(GraphSummaryPipeline.sampleId(p.node().id()))
        .setSeedNode(p.node().id())
        .setNodeIds(ids)
        .setEdgeSrc(Arrays.stream(s.sample().edgeSrc()).boxed().toList())
        .setEdgeDst(Arrays.stream(s.sample().edgeDst()).boxed().toList())
        .setGraphml(s.graphml())
        .setPrompt(s.prompt())
        .setPromptTokens(s.promptTokens())
        .setNodesTrimmed(s.trimmed())
        .setSummary(summary)
        .setSummarizer(summarizer)
        .build();
  }
}
