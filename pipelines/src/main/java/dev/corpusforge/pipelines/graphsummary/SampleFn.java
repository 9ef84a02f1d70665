package dev.corpusforge.pipelines.graphsummary;

import dev.corpusforge.annotators.decompose.DocumentTokenizer;
import dev.corpusforge.annotators.graph.ExtractiveSummarizer;
import dev.corpusforge.annotators.graph.GraphSample;
import dev.corpusforge.annotators.graph.RandomWalkSampler;
import dev.corpusforge.annotators.graph.SampleSerializer;
import dev.corpusforge.annotators.graph.TextGraph;
import dev.corpusforge.core.Rejects;
import dev.corpusforge.schemas.GraphSummarySample;
import dev.corpusforge.schemas.Reject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;

/**
 * One sample per seed node: random walk with restart, GraphML and prompt within the token budget,
 * and the extractive summary (with an LLM summariser the summary is left empty for {@link
 * LlmSummarizeFn}). A node that is no seed is the reject {@code not_a_seed}; with {@code
 * --skip-isolated} a seed without edges is {@code isolated_node}. What depends on the whole graph
 * (sampler, chosen seeds, common words) is made once per worker and graph.
 */
final class SampleFn extends DoFn<GraphNode, GraphSummarySample> {
  private final GraphSummaryConfig config;
  private final PCollectionView<TextGraph> graphView;
  private final TupleTag<Reject> rejectTag;
  private final Counter samples = Metrics.counter(GraphReasons.SAMPLE, "samples");
  private transient DocumentTokenizer tokenizer;
  private transient PerGraph perGraph;

  /** What a worker derives from the graph once. */
  private record PerGraph(
      TextGraph graph,
      RandomWalkSampler sampler,
      SampleSerializer serializer,
      BitSet seeds,
      Set<String> commonWords) {}

  SampleFn(
      GraphSummaryConfig config, PCollectionView<TextGraph> graphView, TupleTag<Reject> rejectTag) {
    this.config = config;
    this.graphView = graphView;
    this.rejectTag = rejectTag;
  }

  @Setup
  public void setup() throws IOException {
    tokenizer = config.tokenizer().open();
  }

  @Teardown
  public void teardown() {
    if (tokenizer != null) {
      tokenizer.close();
    }
  }

  @ProcessElement
  public void process(@Element GraphNode node, ProcessContext c) throws IOException {
    PerGraph g = perGraph(c.sideInput(graphView));
    String sampleId = GraphSummaryPipeline.sampleId(node.id());
    int seed = g.graph().node(node.id());
    if (!g.seeds().get(seed)) {
      reject(
          c,
          sampleId,
          node,
          GraphReasons.SAMPLE,
          GraphReasons.NOT_A_SEED,
          "not among --seeds " + config.seeds().spec());
      return;
    }
    if (config.skipIsolated() && g.graph().degree(seed) == 0) {
      reject(
          c,
          sampleId,
          node,
          GraphReasons.SAMPLE,
          GraphReasons.ISOLATED_NODE,
          "the node has no edges (--skip-isolated)");
      return;
    }
    try {
      GraphSample sample = g.sampler().sample(seed);
      SampleSerializer.Serialized s = g.serializer().serialize(sample);
      if (config.serializer().promptTokenBudget() > 0
          && s.promptTokens() > config.serializer().promptTokenBudget()) {
        reject(
            c,
            sampleId,
            node,
            GraphReasons.SAMPLE,
            GraphReasons.PROMPT_OVER_BUDGET,
            s.promptTokens()
                + " prompt tokens with the seed alone, budget "
                + config.serializer().promptTokenBudget());
        return;
      }
      String summary = "";
      String summarizer =
          config.llm() == null ? ExtractiveSummarizer.NAME : config.llm().summarizerName();
      if (config.llm() == null) {
        summary =
            ExtractiveSummarizer.summarize(
                    s.nodes(), s.sample().hops(), config.serializer().relation(), g.commonWords())
                .strip();
        String[] problem =
            SummaryCheck.problem(summary, tokenizer, config.serializer().maxSummaryTokens());
        if (problem != null) {
          reject(c, sampleId, node, GraphReasons.SUMMARIZE, problem[0], problem[1]);
          return;
        }
      }
      List<String> ids = new ArrayList<>();
      for (int v : s.sample().nodes()) {
        ids.add(g.graph().id(v));
      }
      c.output(
          GraphSummarySample.newBuilder()
              .setSampleId(sampleId)
              .setSeedNode(node.id())
              .setNodeIds(ids)
              .setEdgeSrc(Arrays.stream(s.sample().edgeSrc()).boxed().toList())
              .setEdgeDst(Arrays.stream(s.sample().edgeDst()).boxed().toList())
              .setGraphml(s.graphml())
              .setPrompt(s.prompt())
              .setPromptTokens(s.promptTokens())
              .setNodesTrimmed(s.trimmed())
              .setSummary(summary)
              .setSummarizer(summarizer)
              .build());
      samples.inc();
    } catch (RuntimeException e) {
      c.output(rejectTag, Rejects.ofError(sampleId, node.id(), GraphReasons.SAMPLE, e));
    }
  }

  private PerGraph perGraph(TextGraph graph) throws IOException {
    if (perGraph == null || perGraph.graph() != graph) {
      BitSet seeds = config.seeds().choose(graph, config.walk().seed()).seeds();
      perGraph =
          new PerGraph(
              graph,
              new RandomWalkSampler(graph, config.walk()),
              new SampleSerializer(
                  graph,
                  config.serializer(),
                  config.template(),
                  text -> tokenizer.encode(text).length - 1),
              seeds,
              ExtractiveSummarizer.commonWords(graph, ExtractiveSummarizer.COMMON_SHARE));
    }
    return perGraph;
  }

  private void reject(
      ProcessContext c,
      String sampleId,
      GraphNode node,
      String stage,
      String reason,
      String detail) {
    c.output(rejectTag, Rejects.of(sampleId, node.id(), stage, reason, detail));
  }
}
