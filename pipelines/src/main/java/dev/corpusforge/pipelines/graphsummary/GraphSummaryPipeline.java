package dev.corpusforge.pipelines.graphsummary;

import dev.corpusforge.annotators.graph.TextGraph;
import dev.corpusforge.core.Recipe;
import dev.corpusforge.core.ShallowCopy;
import dev.corpusforge.core.Stage;
import dev.corpusforge.core.StepResult;
import dev.corpusforge.core.cache.CacheOptions;
import dev.corpusforge.core.output.Histograms;
import dev.corpusforge.core.output.OutputLayout;
import dev.corpusforge.schemas.GraphSummarySample;
import dev.corpusforge.schemas.SampleIds;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Top;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The {@code graph-summary} pipeline (GraphCLIP, CORPORA.md §4): node and edge tables → one graph
 * on every worker → a sample per seed node (random walk with restart, GraphML, prompt within a
 * token budget) → a summary → {@code data/part-*.parquet} and {@code exports/graphclip/} (or {@code
 * exports/graphclip-dense/}, {@code --export}). Every node row is a sample or a reject; edge rows
 * left out are counted in the manifest's {@code graph} section.
 */
public final class GraphSummaryPipeline {
  public static final String NAME = "graph-summary";

  /** Kept samples drawn in the report. */
  static final int PREVIEWS = 12;

  /** The bins of the alignment histogram. */
  private static final double[] ALIGN_EDGES = {
    -1, 0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0001
  };

  private GraphSummaryPipeline() {}

  public static void build(Pipeline pipeline, GraphSummaryConfig config) {
    StepResult<GraphNode> rows =
        pipeline.apply("Read nodes", GraphTableSource.nodes(config.nodes(), config.columns()));
    GraphTableSource.Edges edges =
        GraphTableSource.edges(pipeline, config.edges(), config.columns());
    GraphBuild.Result graph = GraphBuild.apply(rows.kept(), edges.edges(), edges.dropped());

    // one input per node row: the node itself, or the reject of a row not read or a duplicate
    Recipe<GraphSummarySample> summarised =
        summarise(
            Recipe.read(
                graph.nodes(),
                PCollectionList.of(rows.rejects())
                    .and(graph.duplicates())
                    .apply("Rows not made nodes", Flatten.pCollections()),
                (GraphNode n) -> sampleId(n.id())),
            graph.graph(),
            config);
    PCollectionView<Map<String, float[]>> vectors = null;
    if (config.align().enabled()) {
      vectors = Alignment.nodeVectors(graph.nodes(), config.align());
      summarised =
          summarised
              .then(
                  "Mean of its node vectors",
                  Stage.withShared(
                      GraphReasons.ALIGN,
                      vectors,
                      new Alignment.MeanOfNodes(),
                      Alignment.SAMPLE,
                      SerializableCoder.of(Alignment.Waiting.class)))
              .then(
                  "Align summary and graph",
                  Alignment.alignSummaries(
                      config.align(), CacheOptions.spec(graph.nodes().getPipeline().getOptions())));
    }
    OutputLayout layout = new OutputLayout(config.output());
    Recipe.Writing<GraphSummarySample> writing =
        summarised.writeKept(
            layout,
            GraphSummarySample.getClassSchema(),
            GraphSummarySample::getSampleId,
            GraphSummaryPipeline::forStats);
    writing.finish(stats(writing.kept(), graph, vectors, config, layout));
  }

  /**
   * A sample as the statistics, previews and the GraphCLIP export see it: without its GraphML and
   * prompt (two thirds of its bytes), which none of them reads.
   */
  static GraphSummarySample forStats(GraphSummarySample sample) {
    return ShallowCopy.with(sample, Map.of("graphml", "", "prompt", ""));
  }

  /** The run's statistics: the graph's, histograms of the samples, previews, the export. */
  private static List<PCollection<String>> stats(
      PCollection<GraphSummarySample> samples,
      GraphBuild.Result graph,
      PCollectionView<Map<String, float[]>> vectors,
      GraphSummaryConfig config,
      OutputLayout layout) {
    List<PCollection<String>> stats = new ArrayList<>();
    stats.add(graph.stats());
    Histograms<GraphSummarySample> histograms =
        Histograms.of(
                "sample_nodes",
                (GraphSummarySample s) -> (double) s.getNodeIds().size(),
                1,
                2,
                3,
                5,
                9,
                17,
                33,
                65,
                129)
            .and(
                "summary_chars",
                (GraphSummarySample s) -> (double) s.getSummary().length(),
                0,
                100,
                200,
                400,
                800,
                1600,
                3200);
    if (config.align().enabled()) {
      histograms =
          histograms.and(
              "align_score", (GraphSummarySample s) -> (double) s.getAlignScore(), ALIGN_EDGES);
    }
    stats.add(samples.apply("Histograms", histograms));
    stats.add(
        samples
            .apply(
                "Preview kept",
                Top.of(PREVIEWS, new GraphPreview.ReverseIdOrder()).withoutDefaults())
            .apply("Graph drawings", ParDo.of(new GraphPreview.PreviewFn())));
    if (config.exports().contains(GraphClipExport.FORMAT)) {
      stats.add(
          samples.apply(
              "GraphCLIP export",
              new GraphClipExport(
                  layout.exports("graphclip"),
                  graph
                      .nodes()
                      .apply(
                          "Node ids",
                          MapElements.into(TypeDescriptors.strings()).via(GraphNode::id)))));
    }
    if (config.exports().contains(GraphClipDenseExport.FORMAT)) {
      stats.add(
          samples.apply(
              "GraphCLIP dense export",
              new GraphClipDenseExport(
                  layout.exports(GraphClipDenseExport.FORMAT), graph.nodes(), vectors)));
    }
    return stats;
  }

  /**
   * From the nodes to their summaries, each step reading the graph every worker holds: choose the
   * seeds, walk from each, write its GraphML and prompt, summarise (extractive, or by the LLM).
   */
  static Recipe<GraphSummarySample> summarise(
      Recipe<GraphNode> nodes, PCollectionView<TextGraph> shared, GraphSummaryConfig config) {
    Recipe<SampleSteps.Prompted> prompted =
        nodes
            .then(
                "Choose seeds",
                Stage.withShared(
                    GraphReasons.SAMPLE,
                    shared,
                    new SampleSteps.ChooseSeed(config),
                    SampleSteps.NODE,
                    GraphNode.Coder.INSTANCE))
            .then(
                "Walk from the seed",
                Stage.withShared(
                    GraphReasons.SAMPLE,
                    shared,
                    new SampleSteps.WalkFromSeed(config),
                    SampleSteps.NODE,
                    SerializableCoder.of(SampleSteps.Walked.class)))
            .then(
                "Write GraphML and prompt",
                Stage.withShared(
                    GraphReasons.SAMPLE,
                    shared,
                    new SampleSteps.WritePrompt(config),
                    SampleSteps.WALKED,
                    SerializableCoder.of(SampleSteps.Prompted.class)));
    if (config.llm() == null) {
      return prompted.then(
          "Summarise",
          Stage.withShared(
              GraphReasons.SUMMARIZE,
              shared,
              new SampleSteps.SummariseExtractively(config),
              SampleSteps.PROMPTED,
              AvroCoder.of(GraphSummarySample.class)));
    }
    return prompted
        .then(
            "Sample row",
            Stage.withShared(
                GraphReasons.SAMPLE,
                shared,
                new SampleSteps.AwaitSummary(config.llm().summarizerName()),
                SampleSteps.PROMPTED,
                AvroCoder.of(GraphSummarySample.class)))
        .thenTransform(
            "Summarise with the LLM",
            LlmSummarizeFn.of(
                config.llm(), config.tokenizer(), config.serializer().maxSummaryTokens()));
  }

  /** A node's sample id. */
  static String sampleId(String nodeId) {
    return SampleIds.of("node:" + nodeId);
  }
}
