package dev.corpusforge.pipelines.graphsummary;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corpusforge.annotators.graph.TextGraph;
import dev.corpusforge.core.Rejects;
import dev.corpusforge.core.output.StatsLines;
import dev.corpusforge.schemas.Reject;
import dev.corpusforge.schemas.SampleIds;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Makes one {@link TextGraph} from the node and edge rows, handed to every worker as a side input.
 * A node id given by several rows is the row first in file order; the others are {@code
 * duplicate_node} rejects. The manifest's {@code graph} section counts nodes, edges, and edge rows
 * left out by reason.
 */
final class GraphBuild {
  record Result(
      PCollectionView<TextGraph> graph,
      PCollection<GraphNode> nodes,
      PCollection<Reject> duplicates,
      PCollection<String> stats) {}

  private GraphBuild() {}

  static Result apply(
      PCollection<GraphNode> rows, PCollection<GraphEdge> edges, PCollection<String> droppedEdges) {
    TupleTag<GraphNode> nodeTag = new TupleTag<>();
    TupleTag<Reject> duplicateTag = new TupleTag<>();
    PCollectionTuple unique =
        rows.apply(
                "Key nodes by id",
                WithKeys.of(GraphNode::id).withKeyType(TypeDescriptors.strings()))
            .apply("Rows per node id", GroupByKey.create())
            .apply(
                "One row per node id",
                ParDo.of(new FirstRowFn(nodeTag, duplicateTag))
                    .withOutputTags(nodeTag, TupleTagList.of(duplicateTag)));
    PCollection<GraphNode> nodes = unique.get(nodeTag).setCoder(GraphNode.Coder.INSTANCE);

    TupleTag<TextGraph> graphTag = new TupleTag<>();
    TupleTag<String> statsTag = new TupleTag<>();
    // one group read once (Flink's grouped values cannot be iterated twice): nodes, edges and edge
    // drops as one type
    PCollectionTuple built =
        PCollectionList.of(
                List.of(
                    asParts("Nodes as parts", nodes, (GraphNode n) -> new Part(n, null, null)),
                    asParts("Edges as parts", edges, (GraphEdge e) -> new Part(null, e, null)),
                    asParts(
                        "Edge drops as parts",
                        droppedEdges,
                        (String r) -> new Part(null, null, r))))
            .apply("All parts", Flatten.pCollections())
            .setCoder(Part.Coder.INSTANCE)
            .apply("Parts to one key", WithKeys.of(0))
            .apply("Gather the graph", GroupByKey.create())
            .apply(
                "Build the graph",
                ParDo.of(new BuildFn(graphTag, statsTag))
                    .withOutputTags(graphTag, TupleTagList.of(statsTag)));
    PCollectionView<TextGraph> graph =
        built
            .get(graphTag)
            .setCoder(SerializableCoder.of(TextGraph.class))
            .apply("Graph for every worker", View.asSingleton());
    return new Result(
        graph,
        nodes,
        unique.get(duplicateTag).setCoder(AvroCoder.of(Reject.class)),
        built.get(statsTag).setCoder(StringUtf8Coder.of()));
  }

  /**
   * Each element as a graph part, in the parts' own coder: the flatten's inputs cross a shuffle,
   * where a coder inferred from the type would be Java serialisation.
   */
  private static <T> PCollection<Part> asParts(
      String name, PCollection<T> in, SerializableFunction<T, Part> part) {
    return in.apply(name, MapElements.into(TypeDescriptor.of(Part.class)).via(part))
        .setCoder(Part.Coder.INSTANCE);
  }

  static final class FirstRowFn extends DoFn<KV<String, Iterable<GraphNode>>, GraphNode> {
    private final TupleTag<GraphNode> nodeTag;
    private final TupleTag<Reject> duplicateTag;

    FirstRowFn(TupleTag<GraphNode> nodeTag, TupleTag<Reject> duplicateTag) {
      this.nodeTag = nodeTag;
      this.duplicateTag = duplicateTag;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<GraphNode>> rows, MultiOutputReceiver out) {
      List<GraphNode> all = new ArrayList<>();
      rows.getValue().forEach(all::add);
      all.sort((a, b) -> GraphNode.compareRefs(a.ref(), b.ref()));
      out.get(nodeTag).output(all.get(0));
      for (GraphNode dup : all.subList(1, all.size())) {
        out.get(duplicateTag)
            .output(
                Rejects.of(
                    SampleIds.of(dup.ref()),
                    dup.ref(),
                    GraphReasons.GRAPH,
                    GraphReasons.DUPLICATE_NODE,
                    "node id '" + dup.id() + "' is already " + all.get(0).ref()));
      }
    }
  }

  /** A node, an edge or the reason an edge row was left out on reading. */
  record Part(GraphNode node, GraphEdge edge, String dropped) implements java.io.Serializable {
    /** A tag byte and the one part that is there. */
    static final class Coder extends CustomCoder<Part> {
      static final Coder INSTANCE = new Coder();

      @Override
      public void encode(Part p, OutputStream out) throws IOException {
        if (p.node() != null) {
          out.write(0);
          GraphNode.Coder.INSTANCE.encode(p.node(), out);
        } else if (p.edge() != null) {
          out.write(1);
          GraphEdge.Coder.INSTANCE.encode(p.edge(), out);
        } else {
          out.write(2);
          StringUtf8Coder.of().encode(p.dropped(), out);
        }
      }

      @Override
      public Part decode(InputStream in) throws IOException {
        int tag = in.read();
        return switch (tag) {
          case 0 -> new Part(GraphNode.Coder.INSTANCE.decode(in), null, null);
          case 1 -> new Part(null, GraphEdge.Coder.INSTANCE.decode(in), null);
          case 2 -> new Part(null, null, StringUtf8Coder.of().decode(in));
          default -> throw new IOException("unknown graph part tag " + tag);
        };
      }

      @Override
      public void verifyDeterministic() {}
    }
  }

  static final class BuildFn extends DoFn<KV<Integer, Iterable<Part>>, TextGraph> {
    private final TupleTag<TextGraph> graphTag;
    private final TupleTag<String> statsTag;

    BuildFn(TupleTag<TextGraph> graphTag, TupleTag<String> statsTag) {
      this.graphTag = graphTag;
      this.statsTag = statsTag;
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<Part>> all, MultiOutputReceiver out) {
      TextGraph.Builder builder = new TextGraph.Builder();
      Map<String, Long> droppedEdges = new TreeMap<>();
      long edgeRows = 0;
      for (Part p : all.getValue()) {
        if (p.node() != null) {
          builder.node(p.node().id(), p.node().text(), p.node().label());
        } else if (p.edge() != null) {
          builder.edge(p.edge().src(), p.edge().dst());
          edgeRows++;
        } else {
          droppedEdges.merge(p.dropped(), 1L, Long::sum);
          edgeRows++;
        }
      }
      TextGraph graph = builder.build();
      for (TextGraph.EdgeDrop why : TextGraph.EdgeDrop.values()) {
        droppedEdges.put(why.reason, builder.dropped(why));
      }
      ObjectNode section =
          StatsLines.JSON
              .createObjectNode()
              .put("nodes", graph.nodeCount())
              .put("edges", graph.edgeCount())
              .put("edge_rows", edgeRows)
              .put("isolated_nodes", isolated(graph))
              .put("adjacency_bytes", graph.edgeCount() * 2 * Integer.BYTES);
      droppedEdges.forEach(section.putObject("edge_rows_dropped")::put);
      out.get(statsTag).output(StatsLines.manifest("graph", section));
      out.get(graphTag).output(graph);
    }

    private static long isolated(TextGraph g) {
      long n = 0;
      for (int v = 0; v < g.nodeCount(); v++) {
        if (g.degree(v) == 0) {
          n++;
        }
      }
      return n;
    }
  }
}
