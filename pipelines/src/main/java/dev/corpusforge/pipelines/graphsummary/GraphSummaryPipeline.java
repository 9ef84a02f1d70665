package dev.corpusforge.pipelines.graphsummary;

import dev.corpusforge.core.StepResult;
import dev.corpusforge.core.output.CorpusWriter;
import dev.corpusforge.core.output.Histogram;
import dev.corpusforge.core.output.OutputLayout;
import dev.corpusforge.core.output.ProgressMeter;
import dev.corpusforge.schemas.GraphSummarySample;
import dev.corpusforge.schemas.Reject;
import dev.corpusforge.schemas.SampleIds;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Top;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The {@code graph-summary} pipeline (GraphCLIP, CORPORA.md §4): node and edge tables → one graph
 * on every worker → a sample per seed node (random walk with restart, GraphML, prompt within a
 * token budget) → a summary → {@code data/part-*.parquet} and {@code exports/graphclip/}. Every
 * node row is a sample or a reject; edge rows left out are counted in the manifest's {@code graph}
 * section.
 */
public final class GraphSummaryPipeline {
  public static final String NAME = "graph-summary";

  /** Kept samples drawn in the report. */
  static final int PREVIEWS = 12;

  private GraphSummaryPipeline() {}

  public static void build(Pipeline pipeline, GraphSummaryConfig config) {
    StepResult<GraphNode> rows =
        pipeline.apply("Read nodes", GraphTableSource.nodes(config.nodes(), config.columns()));
    GraphTableSource.Edges edges =
        GraphTableSource.edges(pipeline, config.edges(), config.columns());
    GraphBuild.Result graph = GraphBuild.apply(rows.kept(), edges.edges(), edges.dropped());

    TupleTag<GraphSummarySample> sampleTag = new TupleTag<>();
    TupleTag<Reject> rejectTag = new TupleTag<>();
    PCollectionTuple sampled =
        graph
            .nodes()
            .apply(
                "Sample and summarise",
                ParDo.of(new SampleFn(config, graph.graph(), rejectTag))
                    .withSideInputs(graph.graph())
                    .withOutputTags(sampleTag, TupleTagList.of(rejectTag)));
    PCollection<GraphSummarySample> samples =
        sampled.get(sampleTag).setCoder(AvroCoder.of(GraphSummarySample.class));
    List<PCollection<Reject>> allRejects =
        new ArrayList<>(
            List.of(
                rows.rejects(),
                graph.duplicates(),
                sampled.get(rejectTag).setCoder(AvroCoder.of(Reject.class))));
    if (config.llm() != null) {
      TupleTag<GraphSummarySample> answeredTag = new TupleTag<>();
      TupleTag<Reject> failedTag = new TupleTag<>();
      PCollectionTuple answered =
          samples.apply(
              "Summarise with the LLM",
              ParDo.of(
                      new LlmSummarizeFn(
                          config.llm(),
                          config.tokenizer(),
                          config.serializer().maxSummaryTokens(),
                          failedTag))
                  .withOutputTags(answeredTag, TupleTagList.of(failedTag)));
      samples = answered.get(answeredTag).setCoder(AvroCoder.of(GraphSummarySample.class));
      allRejects.add(answered.get(failedTag).setCoder(AvroCoder.of(Reject.class)));
    }
    if (config.align().enabled()) {
      Alignment.Result aligned = Alignment.apply(graph.nodes(), samples, config.align());
      samples = aligned.kept();
      allRejects.add(aligned.rejects());
    }
    PCollection<Reject> rejects =
        PCollectionList.of(allRejects).apply("All rejects", Flatten.pCollections());

    // one id per node row: the node's own id for the row that is the node, the row's for the others
    PCollection<String> inputIds =
        PCollectionList.of(
                List.of(
                    graph
                        .nodes()
                        .apply(
                            "Node ids",
                            MapElements.into(TypeDescriptors.strings())
                                .via((GraphNode n) -> sampleId(n.id()))),
                    graph
                        .duplicates()
                        .apply(
                            "Duplicate row ids",
                            MapElements.into(TypeDescriptors.strings()).via(Reject::getSampleId)),
                    rows.rejects()
                        .apply(
                            "Unread row ids",
                            MapElements.into(TypeDescriptors.strings()).via(Reject::getSampleId))))
            .apply("Input ids", Flatten.pCollections())
            .apply("Count reads for progress", ProgressMeter.count(ProgressMeter.READ));

    OutputLayout layout = new OutputLayout(config.output());
    List<PCollection<String>> stats = new ArrayList<>();
    stats.add(graph.stats());
    stats.add(
        samples
            .apply(
                "Sample sizes",
                MapElements.into(TypeDescriptors.doubles())
                    .via((GraphSummarySample s) -> (double) s.getNodeIds().size()))
            .apply(
                "Sample size histogram",
                Combine.globally(new Histogram("sample_nodes", 1, 2, 3, 5, 9, 17, 33, 65, 129))));
    stats.add(
        samples
            .apply(
                "Summary lengths",
                MapElements.into(TypeDescriptors.doubles())
                    .via((GraphSummarySample s) -> (double) s.getSummary().length()))
            .apply(
                "Summary length histogram",
                Combine.globally(
                    new Histogram("summary_chars", 0, 100, 200, 400, 800, 1600, 3200))));
    if (config.align().enabled()) {
      stats.add(
          samples
              .apply(
                  "Alignment scores",
                  MapElements.into(TypeDescriptors.doubles())
                      .via((GraphSummarySample s) -> (double) s.getAlignScore()))
              .apply(
                  "Alignment histogram",
                  Combine.globally(
                      new Histogram(
                          "align_score",
                          -1,
                          0,
                          0.1,
                          0.2,
                          0.3,
                          0.4,
                          0.5,
                          0.6,
                          0.7,
                          0.8,
                          0.9,
                          1.0001))));
    }
    stats.add(
        samples
            .apply(
                "Preview kept",
                Top.of(PREVIEWS, new GraphPreview.ReverseIdOrder()).withoutDefaults())
            .apply("Graph drawings", ParDo.of(new GraphPreview.PreviewFn())));
    stats.add(
        samples.apply(
            "GraphCLIP export", new GraphClipExport(layout.exports("graphclip"), graph.graph())));
    pipeline.apply(
        "Write outputs",
        CorpusWriter.of(
            layout,
            GraphSummarySample.getClassSchema(),
            samples,
            samples.apply(
                "Kept ids",
                MapElements.into(TypeDescriptors.strings()).via(GraphSummarySample::getSampleId)),
            rejects,
            inputIds,
            stats));
  }

  /** A node's sample id. */
  static String sampleId(String nodeId) {
    return SampleIds.of("node:" + nodeId);
  }
}
