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
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Writes {@code exports/graphclip/summary.json} in GraphCLIP's format: an array of {@code {"id",
 * "graph": [[src…], [dst…]], "summary"}} whose position is {@code id}, entries in the order of
 * their seed node's number, edges as node numbers of the whole graph; and {@code nodes.json}, the
 * node ids by number. Each entry also names its seed's number as {@code "center"}: when every node
 * is kept, {@code id == center}, as GraphCLIP's loader assumes.
 *
 * <p>A node's number is the one {@link TextGraph} gives it ({@link TextGraph#numbered}): the export
 * reads the node ids (a few bytes per node), not the graph with its texts, so no step of the export
 * waits for the whole graph to be decoded, and the file is written in the step that gathers the
 * entries.
 */
final class GraphClipExport
    extends PTransform<PCollection<GraphSummarySample>, PCollection<String>> {
  public static final String FORMAT = "graphclip";

  private final String directory;
  private final PCollection<String> nodeIds;

  /**
   * @param nodeIds the id of every node of the graph, once each
   */
  GraphClipExport(String directory, PCollection<String> nodeIds) {
    this.directory = directory;
    this.nodeIds = nodeIds;
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
    PCollectionView<List<String>> numbered =
        nodeIds
            .apply("All node ids", AllRecords.inOneList())
            .apply("Number the nodes", ParDo.of(new NumberNodesFn(directory)))
            .setCoder(ListCoder.of(StringUtf8Coder.of()))
            .apply("Node numbers", View.asSingleton());
    return samples
        .apply("GraphCLIP entries", ParDo.of(new EntryFn(numbered)).withSideInputs(numbered))
        .setCoder(Entry.Coder.INSTANCE)
        .apply("All entries", AllRecords.inOneList())
        .apply("Write summary.json", ParDo.of(new WriteFn(directory)));
  }

  /** A sample as its entry: node numbers and the summary. */
  static final class EntryFn extends DoFn<GraphSummarySample, Entry> {
    private final PCollectionView<List<String>> numbered;

    EntryFn(PCollectionView<List<String>> numbered) {
      this.numbered = numbered;
    }

    @ProcessElement
    public void process(@Element GraphSummarySample s, ProcessContext c) {
      List<String> ids = c.sideInput(numbered);
      int[] src = new int[s.getEdgeSrc().size()];
      int[] dst = new int[src.length];
      for (int i = 0; i < src.length; i++) {
        src[i] = number(ids, s.getNodeIds().get(s.getEdgeSrc().get(i)), s.getSampleId());
        dst[i] = number(ids, s.getNodeIds().get(s.getEdgeDst().get(i)), s.getSampleId());
      }
      c.output(new Entry(number(ids, s.getSeedNode(), s.getSampleId()), src, dst, s.getSummary()));
    }
  }

  /**
   * The number of node {@code id} of sample {@code sampleId} in the whole graph. Every node of a
   * sample is a node of the graph it was sampled from; one that is not would be written as a wrong
   * number into the export, so it stops the run instead.
   */
  static int number(List<String> numbered, String id, String sampleId) {
    int number = TextGraph.numberIn(numbered, id);
    if (number < 0) {
      throw new IllegalStateException(
          "node " + id + " of sample " + sampleId + " is not a node of the graph");
    }
    return number;
  }

  /** Numbers the node ids as the graph does, writes them to {@code nodes.json}, passes them on. */
  static final class NumberNodesFn extends DoFn<List<String>, List<String>> {
    private final String directory;

    NumberNodesFn(String directory) {
      this.directory = directory;
    }

    @ProcessElement
    public void process(@Element List<String> all, OutputReceiver<List<String>> out)
        throws IOException {
      List<String> ids = TextGraph.numbered(all);
      try (JsonGenerator json = generator(directory + "/nodes.json")) {
        json.writeStartArray();
        for (String id : ids) {
          json.writeString(id);
        }
        json.writeEndArray();
      }
      out.output(ids);
    }
  }

  static final class WriteFn extends DoFn<List<Entry>, String> {
    private final String directory;

    WriteFn(String directory) {
      this.directory = directory;
    }

    @ProcessElement
    public void process(@Element List<Entry> all, OutputReceiver<String> out) throws IOException {
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
      out.output(
          StatsLines.line("export")
              .put("format", FORMAT)
              .put("file", summaryFile)
              .put("samples", entries.size())
              .toString());
    }
  }

  private static JsonGenerator generator(String file) throws IOException {
    OutputStream out =
        Channels.newOutputStream(
            FileSystems.create(FileSystems.matchNewResource(file, false), "application/json"));
    return StatsLines.JSON.getFactory().createGenerator(out, JsonEncoding.UTF8);
  }
}
