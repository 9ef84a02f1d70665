package dev.corpusforge.pipelines.graphsummary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corpusforge.annotators.decompose.DocumentTokenizer;
import dev.corpusforge.annotators.graph.PromptTemplate;
import dev.corpusforge.annotators.graph.SampleSerializer;
import dev.corpusforge.annotators.graph.TextGraph;
import dev.corpusforge.annotators.graph.WalkRule;
import dev.corpusforge.core.Recipe;
import dev.corpusforge.core.testing.TestPipelineExtension;
import dev.corpusforge.schemas.GraphSummarySample;
import dev.corpusforge.schemas.Reject;
import dev.corpusforge.scorers.DeviceChoice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stages from a node to its sample as {@link GraphSummaryPipeline} chains them, each reading
 * the graph as a side input: seeds chosen, walks, GraphML and prompt within the budget, summaries.
 */
@ExtendWith(TestPipelineExtension.class)
class SampleStagesTest {
  TestPipeline p;
  @TempDir Path dir;

  static final List<GraphNode> NODES =
      List.of(
          new GraphNode(
              "n#1", "a", "Attention is all you need. It introduces the Transformer.", null),
          new GraphNode("n#2", "b", "BERT pre-trains deep bidirectional transformers.", null),
          new GraphNode("n#3", "c", "CLIP learns visual concepts from natural language.", null),
          new GraphNode("n#4", "d", "An isolated paper nobody cites.", null),
          new GraphNode("n#5", "e", "word ".repeat(3000), null));

  static TextGraph graph() {
    TextGraph.Builder b = new TextGraph.Builder();
    NODES.forEach(n -> b.node(n.id(), n.text(), n.label()));
    b.edge("a", "b");
    b.edge("b", "c");
    b.edge("c", "e");
    return b.build();
  }

  static GraphSummaryConfig config(String seeds, int promptTokenBudget) {
    return new GraphSummaryConfig(
        List.of("unused.jsonl"),
        List.of(),
        "unused-out",
        new GraphColumns("id", "text", "label", "src", "dst"),
        new SeedSelection(seeds),
        new WalkRule(16, 0.5, 0, 7),
        true,
        new SampleSerializer.Options("cites", 20_000, promptTokenBudget, 400),
        PromptTemplate.builtIn("citation"),
        new DocumentTokenizer.Spec("cl100k_base", null),
        null,
        new AlignRule(null, AlignRule.DEFAULT_MIN_ALIGN, DeviceChoice.parse("cpu"), 1, 64),
        List.of(GraphClipExport.FORMAT));
  }

  /** The recipe's stages up to the summary, over every node of the graph. */
  Recipe<GraphSummarySample> summarised(GraphSummaryConfig config) {
    PCollectionView<TextGraph> shared =
        p.apply("graph", Create.of(graph()).withCoder(SerializableCoder.of(TextGraph.class)))
            .apply(View.asSingleton());
    return GraphSummaryPipeline.summarise(
        Recipe.read(
            p.apply("nodes", Create.of(NODES).withCoder(SerializableCoder.of(GraphNode.class))),
            p.apply("no read rejects", Create.empty(AvroCoder.of(Reject.class))),
            (GraphNode n) -> GraphSummaryPipeline.sampleId(n.id())),
        shared,
        config);
  }

  static PCollection<String> reasons(Recipe<?> recipe) {
    return recipe
        .rejects()
        .apply(
            "reasons",
            MapElements.into(TypeDescriptors.strings())
                .via((Reject r) -> r.getSource() + ":" + r.getStage() + "/" + r.getReason()));
  }

  @Test
  void everyConnectedSeedIsSampledWithinTheBudget() {
    Recipe<GraphSummarySample> samples = summarised(config("all", 1500));
    PAssert.that(samples.kept())
        .satisfies(
            kept -> {
              int n = 0;
              for (GraphSummarySample s : kept) {
                n++;
                assertTrue(s.getNodeIds().contains(s.getSeedNode()), "the seed is in its sample");
                assertTrue(s.getPromptTokens() <= 1500, "prompt within the budget");
                assertTrue(s.getGraphml().contains("<graphml"), s.getGraphml());
                assertTrue(s.getPrompt().contains(s.getGraphml()), "the prompt holds the GraphML");
                assertEquals("extractive", s.getSummarizer());
                assertTrue(!s.getSummary().isBlank(), "a summary");
              }
              assertEquals(3, n, "a, b and c are sampled");
              return null;
            });
    PAssert.that(reasons(samples))
        .containsInAnyOrder("d:sample/isolated_node", "e:sample/prompt_over_budget");
    p.run().waitUntilFinish();
  }

  @Test
  void aSeedFileChoosesTheSeeds() throws Exception {
    Path seeds = Files.writeString(dir.resolve("seeds.txt"), "# chosen\nb\nnot-in-graph\n");
    Recipe<GraphSummarySample> samples = summarised(config(seeds.toString(), 0));
    PAssert.that(
            samples
                .kept()
                .apply(
                    "seeds",
                    MapElements.into(TypeDescriptors.strings())
                        .via(GraphSummarySample::getSeedNode)))
        .containsInAnyOrder("b");
    PAssert.that(reasons(samples))
        .containsInAnyOrder(
            "a:sample/not_a_seed",
            "c:sample/not_a_seed",
            "d:sample/not_a_seed",
            "e:sample/not_a_seed");
    p.run().waitUntilFinish();
  }
}
