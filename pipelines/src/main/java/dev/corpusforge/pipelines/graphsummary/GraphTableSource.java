package dev.corpusforge.pipelines.graphsummary;

import static dev.corpusforge.core.read.ReadReasons.MALFORMED_FILE;
import static dev.corpusforge.core.read.ReadReasons.UNSUPPORTED_FILE;

import dev.corpusforge.core.Outcome;
import dev.corpusforge.core.StepResult;
import dev.corpusforge.core.read.ReadTable;
import dev.corpusforge.core.read.TableFiles;
import dev.corpusforge.schemas.Reject;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Reads the node and edge tables of a text-attributed graph ({@link TableFiles}: CSV, TSV, JSON
 * lines, Parquet; local or s3://). Every node row is a node or a reject (read reasons, {@code
 * node_id_missing}); edge rows are not samples, so the ones that cannot be read are counted by
 * reason in stats lines instead.
 */
final class GraphTableSource {
  record Edges(PCollection<GraphEdge> edges, PCollection<String> dropped) {}

  private GraphTableSource() {}

  static ReadTable<GraphNode> nodes(List<String> patterns, GraphColumns columns) {
    return ReadTable.of(
            "node table",
            patterns,
            List.of(columns.nodeId()),
            new NodeRows(columns),
            GraphNode.Coder.INSTANCE)
        .withRowStage(GraphReasons.GRAPH);
  }

  /**
   * Edge rows; each one left out becomes a {@code dropped} line with its reason: a whole file that
   * is no table or breaks keeps its own reason, a row that cannot be read is {@code
   * edge_malformed_row}, one without both endpoints {@code edge_endpoint_missing}.
   */
  static Edges edges(Pipeline pipeline, List<String> patterns, GraphColumns columns) {
    StepResult<GraphEdge> read =
        pipeline.apply(
            "Read edges",
            ReadTable.of(
                "edge table",
                patterns,
                List.of(columns.edgeSrc(), columns.edgeDst()),
                new EdgeRows(columns),
                GraphEdge.Coder.INSTANCE));
    PCollection<String> dropped =
        read.rejects()
            .apply(
                "Edge rows left out",
                MapElements.into(TypeDescriptors.strings())
                    .via((Reject r) -> droppedReason(r.getReason())));
    return new Edges(read.kept(), dropped);
  }

  static String droppedReason(String reason) {
    return reason.equals(UNSUPPORTED_FILE)
            || reason.equals(MALFORMED_FILE)
            || reason.equals(GraphReasons.EDGE_ENDPOINT_MISSING)
        ? reason
        : GraphReasons.EDGE_MALFORMED;
  }

  /** A row with a node id is a node; one without is {@code node_id_missing}. */
  record NodeRows(GraphColumns columns) implements ReadTable.RowParser<GraphNode> {
    @Override
    public Outcome<GraphNode> parse(TableFiles.Row r, ResourceId file) {
      String id = r.text(columns.nodeId());
      if (id == null || id.isBlank()) {
        return Outcome.drop(GraphReasons.NODE_ID_MISSING, "no value in '" + columns.nodeId() + "'");
      }
      String text = columns.nodeText() == null ? null : r.text(columns.nodeText());
      String label = columns.nodeLabel() == null ? null : r.text(columns.nodeLabel());
      return Outcome.keep(new GraphNode(r.ref(), id.strip(), text == null ? "" : text, label));
    }
  }

  record EdgeRows(GraphColumns columns) implements ReadTable.RowParser<GraphEdge> {
    @Override
    public Outcome<GraphEdge> parse(TableFiles.Row r, ResourceId file) {
      String src = r.text(columns.edgeSrc());
      String dst = r.text(columns.edgeDst());
      if (src == null || dst == null || src.isBlank() || dst.isBlank()) {
        return Outcome.drop(GraphReasons.EDGE_ENDPOINT_MISSING, null);
      }
      return Outcome.keep(new GraphEdge(src.strip(), dst.strip()));
    }
  }
}
