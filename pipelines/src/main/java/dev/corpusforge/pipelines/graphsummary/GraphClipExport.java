package dev.corpusforge.pipelines.graphsummary;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.corpusforge.annotators.graph.TextGraph;
import dev.corpusforge.core.output.AllRecords;
import dev.corpusforge.core.output.StatsLines;
import dev.corpusforge.schemas.GraphSummarySample;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Writes {@code exports/graphclip/summary.json} in GraphCLIP's format: an array of {@code {"id",
 * "graph": [[src…], [dst…]], "summary"}} whose position is {@code id}, entries in the order of
 * their seed node's number, edges as node numbers of the whole graph; and {@code nodes.json}, the
 * node ids by number. Each entry also names its seed's number as {@code "center"}: when every node
 * is kept, {@code id == center}, as GraphCLIP's loader assumes.
 */
final class GraphClipExport
    extends PTransform<PCollection<GraphSummarySample>, PCollection<String>> {
  private final String directory;
  private final PCollectionView<TextGraph> graphView;

  GraphClipExport(String directory, PCollectionView<TextGraph> graphView) {
    this.directory = directory;
    this.graphView = graphView;
  }

  /** What the export keeps of a sample. */
  record Entry(int center, int[] src, int[] dst, String summary) implements Serializable {
    /** Numbers and the summary, without Java serialisation: every entry meets on one worker. */
    static final class Coder extends CustomCoder<Entry> {
      static final Coder INSTANCE = new Coder();

      @Override
      public void encode(Entry e, OutputStream out) throws IOException {
        VarIntCoder.of().encode(e.center(), out);
        VarIntCoder.of().encode(e.src().length, out);
        for (int i = 0; i < e.src().length; i++) {
          VarIntCoder.of().encode(e.src()[i], out);
          VarIntCoder.of().encode(e.dst()[i], out);
        }
        StringUtf8Coder.of().encode(e.summary(), out);
      }

      @Override
      public Entry decode(InputStream in) throws IOException {
        int center = VarIntCoder.of().decode(in);
        int n = VarIntCoder.of().decode(in);
        if (n < 0) {
          throw new IOException("negative edge count " + n);
        }
        int[] src = new int[n];
        int[] dst = new int[n];
        for (int i = 0; i < n; i++) {
          src[i] = VarIntCoder.of().decode(in);
          dst[i] = VarIntCoder.of().decode(in);
        }
        return new Entry(center, src, dst, StringUtf8Coder.of().decode(in));
      }

      @Override
      public void verifyDeterministic() {}
    }
  }

  @Override
  public PCollection<String> expand(PCollection<GraphSummarySample> samples) {
    return samples
        .apply(
            "GraphCLIP entries",
            ParDo.of(
                    new DoFn<GraphSummarySample, Entry>() {
                      @ProcessElement
                      public void process(@Element GraphSummarySample s, ProcessContext c) {
                        TextGraph g = c.sideInput(graphView);
                        int[] src = new int[s.getEdgeSrc().size()];
                        int[] dst = new int[src.length];
                        for (int i = 0; i < src.length; i++) {
                          src[i] = g.node(s.getNodeIds().get(s.getEdgeSrc().get(i)));
                          dst[i] = g.node(s.getNodeIds().get(s.getEdgeDst().get(i)));
                        }
                        c.output(new Entry(g.node(s.getSeedNode()), src, dst, s.getSummary()));
                      }
                    })
                .withSideInputs(graphView))
        .setCoder(Entry.Coder.INSTANCE)
        .apply("All entries", AllRecords.inOneList())
        .apply(
            "Write summary.json",
            ParDo.of(new WriteFn(directory, graphView)).withSideInputs(graphView));
  }

  static final class WriteFn extends DoFn<List<Entry>, String> {
    private final String directory;
    private final PCollectionView<TextGraph> graphView;

    WriteFn(String directory, PCollectionView<TextGraph> graphView) {
      this.directory = directory;
      this.graphView = graphView;
    }

    @ProcessElement
    public void process(@Element List<Entry> all, ProcessContext c) throws IOException {
      List<Entry> entries = new ArrayList<>();
      entries.addAll(all);
      entries.sort(Comparator.comparingInt(Entry::center));
      String summaryFile = directory + "/summary.json";
      try (JsonGenerator json = generator(summaryFile)) {
        json.writeStartArray();
        for (int id = 0; id < entries.size(); id++) {
          Entry e = entries.get(id);
          json.writeStartObject();
          json.writeNumberField("id", id);
          json.writeNumberField("center", e.center());
          json.writeArrayFieldStart("graph");
          json.writeArray(e.src(), 0, e.src().length);
          json.writeArray(e.dst(), 0, e.dst().length);
          json.writeEndArray();
          json.writeStringField("summary", e.summary());
          json.writeEndObject();
          json.writeRaw('\n');
        }
        json.writeEndArray();
      }
      TextGraph g = c.sideInput(graphView);
      try (JsonGenerator json = generator(directory + "/nodes.json")) {
        json.writeStartArray();
        for (int v = 0; v < g.nodeCount(); v++) {
          json.writeString(g.id(v));
        }
        json.writeEndArray();
      }
      c.output(
          StatsLines.line("export")
              .put("format", "graphclip")
              .put("file", summaryFile)
              .put("samples", entries.size())
              .toString());
    }

    private static JsonGenerator generator(String file) throws IOException {
      OutputStream out =
          Channels.newOutputStream(
              FileSystems.create(FileSystems.matchNewResource(file, false), "application/json"));
      return StatsLines.JSON.getFactory().createGenerator(out, JsonEncoding.UTF8);
    }
  }
}
