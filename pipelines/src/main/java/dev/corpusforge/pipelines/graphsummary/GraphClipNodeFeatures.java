package dev.corpusforge.pipelines.graphsummary;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.corpusforge.core.output.Npy;
import dev.corpusforge.core.output.StatsLines;
import dev.corpusforge.core.output.StreamOutputFile;
import dev.corpusforge.pipelines.run.OutputFiles;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * The node features of the dense GraphCLIP export ({@link GraphClipDenseExport}): each node a kept
 * sample uses, with its dense number, text embedding and label, written as {@code x.npy}, {@code
 * labels.json} and {@code nodes.parquet}.
 */
final class GraphClipNodeFeatures {
  private GraphClipNodeFeatures() {}

  static final Schema NODE =
      SchemaBuilder.record("GraphClipDenseNode")
          .namespace("dev.corpusforge.schemas")
          .fields()
          .requiredInt("node")
          .requiredString("node_id")
          .name("x")
          .type()
          .array()
          .items()
          .floatType()
          .noDefault()
          .optionalString("label")
          .endRecord();

  /** One dense node's row. */
  record NodeRow(int node, String id, float[] x, String label) implements Serializable {}

  /**
   * A used node's row: its dense number, its vector and its label; a node no kept sample uses has
   * none.
   */
  static final class NodeRowFn extends DoFn<GraphNode, NodeRow> {
    private final PCollectionView<Map<String, Integer>> numbers;
    private final PCollectionView<Map<String, float[]>> vectors;

    NodeRowFn(
        PCollectionView<Map<String, Integer>> numbers,
        PCollectionView<Map<String, float[]>> vectors) {
      this.numbers = numbers;
      this.vectors = vectors;
    }

    @ProcessElement
    public void process(@Element GraphNode node, ProcessContext c) {
      Integer number = c.sideInput(numbers).get(node.id());
      if (number == null) {
        return;
      }
      float[] x = c.sideInput(vectors).get(node.id());
      if (x == null) {
        throw new IllegalStateException(
            "node " + node.id() + " of a kept sample has no text embedding");
      }
      c.output(new NodeRow(number, node.id(), x, node.label()));
    }
  }

  static final class WriteNodesFn extends DoFn<List<NodeRow>, String> {
    private final String directory;

    WriteNodesFn(String directory) {
      this.directory = directory;
    }

    @ProcessElement
    public void process(@Element List<NodeRow> all, OutputReceiver<String> out) throws IOException {
      List<NodeRow> rows = new ArrayList<>(all);
      rows.sort(Comparator.comparingInt(NodeRow::node));
      for (int k = 0; k < rows.size(); k++) {
        if (rows.get(k).node() != k) {
          throw new IllegalStateException("dense node " + k + " has no feature row");
        }
      }
      int dim = rows.isEmpty() ? 0 : rows.get(0).x().length;
      float[][] x = new float[rows.size()][];
      TreeMap<String, Integer> classes = new TreeMap<>();
      for (int k = 0; k < rows.size(); k++) {
        x[k] = rows.get(k).x();
        if (rows.get(k).label() != null) {
          classes.put(rows.get(k).label(), 0);
        }
      }
      int c = 0;
      for (Map.Entry<String, Integer> e : classes.entrySet()) {
        e.setValue(c++);
      }
      OutputFiles.writeBytes(directory + "/x.npy", Npy.float32(x, dim), "application/octet-stream");
      try (JsonGenerator json = OutputFiles.createJson(directory + "/labels.json")) {
        json.writeStartObject();
        json.writeArrayFieldStart("classes");
        for (String label : classes.keySet()) {
          json.writeString(label);
        }
        json.writeEndArray();
        json.writeArrayFieldStart("y");
        for (NodeRow r : rows) {
          json.writeNumber(r.label() == null ? -1 : classes.get(r.label()));
        }
        json.writeEndArray();
        json.writeEndObject();
      }
      String file = directory + "/nodes.parquet";
      try (ParquetWriter<GenericRecord> writer =
          AvroParquetWriter.<GenericRecord>builder(StreamOutputFile.at(file))
              .withSchema(NODE)
              .withCompressionCodec(CompressionCodecName.SNAPPY)
              .build()) {
        for (NodeRow r : rows) {
          GenericRecord g = new GenericData.Record(NODE);
          g.put("node", r.node());
          g.put("node_id", r.id());
          List<Float> xs = new ArrayList<>(r.x().length);
          for (float v : r.x()) {
            xs.add(v);
          }
          g.put("x", xs);
          g.put("label", r.label());
          writer.write(g);
        }
      }
      out.output(
          StatsLines.line("export")
              .put("format", GraphClipDenseExport.FORMAT)
              .put("file", file)
              .put("nodes", rows.size())
              .put("dimensions", dim)
              .put("classes", classes.size())
              .toString());
    }
  }
}
