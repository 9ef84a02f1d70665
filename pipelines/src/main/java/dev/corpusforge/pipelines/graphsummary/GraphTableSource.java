package dev.corpusforge.pipelines.graphsummary;

import static dev.corpusforge.pipelines.io.ReadReasons.MALFORMED_FILE;
import static dev.corpusforge.pipelines.io.ReadReasons.STAGE;
import static dev.corpusforge.pipelines.io.ReadReasons.UNSUPPORTED_FILE;

import dev.corpusforge.core.Rejects;
import dev.corpusforge.pipelines.io.TableFiles;
import dev.corpusforge.schemas.Reject;
import dev.corpusforge.schemas.SampleIds;
import java.util.List;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Reads the node and edge tables of a text-attributed graph ({@link TableFiles}: CSV, TSV, JSON
 * lines, Parquet; local or s3://). Every node row is a node or a reject (read reasons, {@code
 * node_id_missing}); edge rows are not samples, so the ones that cannot be read are counted by
 * reason in stats lines instead.
 */
final class GraphTableSource {
  record Nodes(PCollection<GraphNode> nodes, PCollection<Reject> rejects) {}

  record Edges(PCollection<GraphEdge> edges, PCollection<String> dropped) {}

  private GraphTableSource() {}

  static Nodes nodes(PBegin begin, List<String> patterns, GraphColumns columns) {
    TupleTag<GraphNode> nodeTag = new TupleTag<>();
    TupleTag<Reject> rejectTag = new TupleTag<>();
    PCollectionTuple out =
        begin
            .apply("Node tables", Create.of(patterns))
            .apply(
                "List node files",
                FileIO.matchAll().withEmptyMatchTreatment(EmptyMatchTreatment.ALLOW))
            .apply(
                "Read nodes",
                ParDo.of(new ReadNodesFn(columns, nodeTag, rejectTag))
                    .withOutputTags(nodeTag, TupleTagList.of(rejectTag)));
    return new Nodes(
        out.get(nodeTag).setCoder(SerializableCoder.of(GraphNode.class)),
        out.get(rejectTag).setCoder(AvroCoder.of(Reject.class)));
  }

  static Edges edges(PBegin begin, List<String> patterns, GraphColumns columns) {
    TupleTag<GraphEdge> edgeTag = new TupleTag<>();
    TupleTag<String> droppedTag = new TupleTag<>();
    PCollectionTuple out =
        begin
            .apply("Edge tables", Create.of(patterns))
            .apply(
                "List edge files",
                FileIO.matchAll().withEmptyMatchTreatment(EmptyMatchTreatment.ALLOW))
            .apply(
                "Read edges",
                ParDo.of(new ReadEdgesFn(columns, edgeTag, droppedTag))
                    .withOutputTags(edgeTag, TupleTagList.of(droppedTag)));
    return new Edges(
        out.get(edgeTag).setCoder(SerializableCoder.of(GraphEdge.class)),
        out.get(droppedTag).setCoder(StringUtf8Coder.of()));
  }

  static final class ReadNodesFn extends DoFn<MatchResult.Metadata, GraphNode> {
    private final GraphColumns columns;
    private final TupleTag<GraphNode> nodeTag;
    private final TupleTag<Reject> rejectTag;

    ReadNodesFn(GraphColumns columns, TupleTag<GraphNode> nodeTag, TupleTag<Reject> rejectTag) {
      this.columns = columns;
      this.nodeTag = nodeTag;
      this.rejectTag = rejectTag;
    }

    @ProcessElement
    public void process(@Element MatchResult.Metadata file, MultiOutputReceiver out) {
      TableFiles.readAll(
          file,
          List.of(columns.nodeId()),
          "node table",
          new TableFiles.Sink() {
            @Override
            public void row(TableFiles.Row r) {
              String id = r.text(columns.nodeId());
              if (id == null || id.isBlank()) {
                reject(
                    out,
                    r.ref(),
                    GraphReasons.GRAPH,
                    GraphReasons.NODE_ID_MISSING,
                    "no value in '" + columns.nodeId() + "'");
                return;
              }
              String text = columns.nodeText() == null ? null : r.text(columns.nodeText());
              String label = columns.nodeLabel() == null ? null : r.text(columns.nodeLabel());
              out.get(nodeTag)
                  .output(new GraphNode(r.ref(), id.strip(), text == null ? "" : text, label));
            }

            @Override
            public void malformed(String ref, String reason, String detail) {
              reject(out, ref, STAGE, reason, detail);
            }
          });
    }

    private void reject(
        MultiOutputReceiver out, String ref, String stage, String reason, String detail) {
      out.get(rejectTag).output(Rejects.of(SampleIds.of(ref), ref, stage, reason, detail));
    }
  }

  /** Edge rows; each one left out becomes a {@code dropped} line {@code reason\tdetail}. */
  static final class ReadEdgesFn extends DoFn<MatchResult.Metadata, GraphEdge> {
    private final GraphColumns columns;
    private final TupleTag<GraphEdge> edgeTag;
    private final TupleTag<String> droppedTag;

    ReadEdgesFn(GraphColumns columns, TupleTag<GraphEdge> edgeTag, TupleTag<String> droppedTag) {
      this.columns = columns;
      this.edgeTag = edgeTag;
      this.droppedTag = droppedTag;
    }

    @ProcessElement
    public void process(@Element MatchResult.Metadata file, MultiOutputReceiver out) {
      TableFiles.readAll(
          file,
          List.of(columns.edgeSrc(), columns.edgeDst()),
          "edge table",
          new TableFiles.Sink() {
            @Override
            public void row(TableFiles.Row r) {
              String src = r.text(columns.edgeSrc());
              String dst = r.text(columns.edgeDst());
              if (src == null || dst == null || src.isBlank() || dst.isBlank()) {
                out.get(droppedTag).output(GraphReasons.EDGE_ENDPOINT_MISSING);
              } else {
                out.get(edgeTag).output(new GraphEdge(src.strip(), dst.strip()));
              }
            }

            @Override
            public void malformed(String ref, String reason, String detail) {
              // a whole file that is no table or breaks keeps its own reason; a bad row is
              // edge_malformed_row
              out.get(droppedTag)
                  .output(
                      reason.equals(UNSUPPORTED_FILE) || reason.equals(MALFORMED_FILE)
                          ? reason
                          : GraphReasons.EDGE_MALFORMED);
            }
          });
    }
  }
}
