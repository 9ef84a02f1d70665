package dev.corpusforge.pipelines.graphsummary;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.corpusforge.core.output.AllRecords;
import dev.corpusforge.core.output.StatsLines;
import dev.corpusforge.pipelines.run.OutputFiles;
import dev.corpusforge.schemas.GraphSummarySample;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * Writes {@code exports/graphclip-dense/}, which GraphCLIP's unmodified loader ({@code
 * utils/process.py}) reads with node features of its own:
 *
 * <ul>
 *   <li>{@code summary.json}: GraphCLIP's array of {@code {"id", "graph", "summary"}} with every
 *       node renumbered densely over the nodes the kept samples use: the seeds first, in the
 *       graph's node order, so entry {@code i} has {@code id == i ==} its seed's dense number (the
 *       loader asserts {@code id == position} and takes the root as {@code node_idx_map[id]}, the
 *       label as {@code y[id]}); then the other nodes, in the same order. A sample of its seed
 *       alone (no edges, {@code --skip-isolated} off) is written with the self-loop {@code [[i],
 *       [i]]}, the loader needing its root among the edges;
 *   <li>{@code x.npy}: float32, row {@code k} the MiniLM embedding of dense node {@code k}'s text
 *       (the unit vector the alignment computed), GraphCLIP's {@code data.x};
 *   <li>{@code labels.json}: {@code classes} (the distinct labels of {@code --node-label-col},
 *       sorted) and {@code y} (per dense node its class index, −1 without a label): {@code data.y};
 *   <li>{@code nodes.parquet}: per dense node {@code node} (its number), {@code node_id}, {@code x}
 *       and {@code label}, for readers other than numpy.
 * </ul>
 *
 * The renumbering meets on one worker with the kept samples' node ids; each used node's feature row
 * is made where the node is, from the vectors the alignment already shares with every worker (no
 * vector crosses a shuffle), and the rows meet on one worker to be written (nodes × dimensions
 * floats).
 */
final class GraphClipDenseExport
    extends PTransform<PCollection<GraphSummarySample>, PCollection<String>> {
  static final String FORMAT = "graphclip-dense";

  private final String directory;
  private final PCollection<GraphNode> nodes;
  private final PCollectionView<Map<String, float[]>> vectors;

  /**
   * @param nodes every node of the graph (for its label)
   * @param vectors every node's text embedding by node id, as the alignment shares it with every
   *     worker
   */
  GraphClipDenseExport(
      String directory,
      PCollection<GraphNode> nodes,
      PCollectionView<Map<String, float[]>> vectors) {
    this.directory = directory;
    this.nodes = nodes;
    this.vectors = vectors;
  }

  /** What the export keeps of a sample: its node ids, edges as positions in them, the summary. */
  record Entry(String seed, List<String> nodeIds, int[] src, int[] dst, String summary)
      implements Serializable {
    static Entry of(GraphSummarySample s) {
      int[] src = s.getEdgeSrc().stream().mapToInt(Integer::intValue).toArray();
      int[] dst = s.getEdgeDst().stream().mapToInt(Integer::intValue).toArray();
      return new Entry(s.getSeedNode(), List.copyOf(s.getNodeIds()), src, dst, s.getSummary());
    }
  }

  private static final TupleTag<String> LINES = new TupleTag<>() {};
  private static final TupleTag<KV<String, Integer>> NUMBERS = new TupleTag<>() {};

  @Override
  public PCollection<String> expand(PCollection<GraphSummarySample> samples) {
    PCollectionTuple written =
        samples
            .apply("Dense entries", MapElements.into(TypeDescriptor.of(Entry.class)).via(Entry::of))
            .setCoder(SerializableCoder.of(Entry.class))
            .apply("All dense entries", AllRecords.inOneList())
            .apply(
                "Renumber and write summary.json",
                ParDo.of(new WriteSummaryFn(directory))
                    .withOutputTags(LINES, TupleTagList.of(NUMBERS)));
    PCollectionView<Map<String, Integer>> numbers =
        written
            .get(NUMBERS)
            .setCoder(KvCoder.of(StringUtf8Coder.of(), VarIntCoder.of()))
            .apply("Dense numbers", View.asMap());
    PCollection<String> featureLines =
        nodes
            .apply(
                "Dense node rows",
                ParDo.of(new GraphClipNodeFeatures.NodeRowFn(numbers, vectors))
                    .withSideInputs(numbers, vectors))
            .setCoder(SerializableCoder.of(GraphClipNodeFeatures.NodeRow.class))
            .apply("All dense node rows", AllRecords.inOneList())
            .apply(
                "Write node features", ParDo.of(new GraphClipNodeFeatures.WriteNodesFn(directory)));
    return PCollectionList.of(written.get(LINES).setCoder(StringUtf8Coder.of()))
        .and(featureLines)
        .apply("Dense export lines", Flatten.pCollections());
  }

  /**
   * The dense numbering of the kept samples' nodes: seeds first, then the others, each part in the
   * graph's node order ({@code TextGraph.numbered}).
   */
  static Map<String, Integer> denseNumbers(List<Entry> entries) {
    TreeSet<String> seeds = new TreeSet<>();
    TreeSet<String> others = new TreeSet<>();
    for (Entry e : entries) {
      seeds.add(e.seed());
    }
    for (Entry e : entries) {
      for (String id : e.nodeIds()) {
        if (!seeds.contains(id)) {
          others.add(id);
        }
      }
    }
    Map<String, Integer> numbers = new HashMap<>();
    for (String id : seeds) {
      numbers.put(id, numbers.size());
    }
    for (String id : others) {
      numbers.put(id, numbers.size());
    }
    return numbers;
  }

  static final class WriteSummaryFn extends DoFn<List<Entry>, String> {
    private final String directory;

    WriteSummaryFn(String directory) {
      this.directory = directory;
    }

    @ProcessElement
    public void process(@Element List<Entry> all, MultiOutputReceiver out) throws IOException {
      Map<String, Integer> numbers = denseNumbers(all);
      List<Entry> entries = new ArrayList<>(all);
      entries.sort(Comparator.comparing(e -> numbers.get(e.seed())));
      String file = directory + "/summary.json";
      int selfLoops = 0;
      try (JsonGenerator json = OutputFiles.createJson(file)) {
        json.writeStartArray();
        for (int id = 0; id < entries.size(); id++) {
          Entry e = entries.get(id);
          if (numbers.get(e.seed()) != id) {
            throw new IllegalStateException("seed " + e.seed() + " is not dense node " + id);
          }
          int[] src = new int[e.src().length];
          int[] dst = new int[e.dst().length];
          for (int i = 0; i < src.length; i++) {
            src[i] = numbers.get(e.nodeIds().get(e.src()[i]));
            dst[i] = numbers.get(e.nodeIds().get(e.dst()[i]));
          }
          if (src.length == 0) {
            src = new int[] {id};
            dst = new int[] {id};
            selfLoops++;
          }
          json.writeStartObject();
          json.writeNumberField("id", id);
          json.writeArrayFieldStart("graph");
          json.writeArray(src, 0, src.length);
          json.writeArray(dst, 0, dst.length);
          json.writeEndArray();
          json.writeStringField("summary", e.summary());
          json.writeEndObject();
          json.writeRaw('\n');
        }
        json.writeEndArray();
      }
      numbers.forEach((id, n) -> out.get(NUMBERS).output(KV.of(id, n)));
      out.get(LINES)
          .output(
              StatsLines.line("export")
                  .put("format", FORMAT)
                  .put("file", file)
                  .put("samples", entries.size())
                  .put("self_loops", selfLoops)
                  .toString());
    }
  }
}
