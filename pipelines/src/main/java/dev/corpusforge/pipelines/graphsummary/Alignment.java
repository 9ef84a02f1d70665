package dev.corpusforge.pipelines.graphsummary;

import dev.corpusforge.core.Rejects;
import dev.corpusforge.core.StepResult;
import dev.corpusforge.schemas.GraphSummarySample;
import dev.corpusforge.schemas.Reject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Instant;

/**
 * The alignment filter: each node's text is embedded once (not once per sample it appears in),
 * handed to workers as a map; each summary is embedded in batches and scored against the mean of
 * its sample's node vectors. {@code align_score} is written on every scored sample; one under
 * {@code --min-align} is {@code align_below_threshold}; a summary the encoder fails on alone is
 * {@code error:<Exception>} (stage {@code align}). Metric {@code align/align_score} (distribution,
 * ×1000).
 */
final class Alignment {
  /** Node text embedded: its first chars (the encoder truncates to its own max length anyway). */
  private static final int MAX_EMBED_CHARS = 4000;

  private Alignment() {}

  /** The filter over samples, with the texts of {@code nodes} embedded once. */
  static PTransform<PCollection<GraphSummarySample>, StepResult<GraphSummarySample>> of(
      PCollection<GraphNode> nodes, AlignRule rule) {
    return new PTransform<>() {
      @Override
      public StepResult<GraphSummarySample> expand(PCollection<GraphSummarySample> samples) {
        PCollectionView<Map<String, float[]>> vectors =
            nodes
                .apply("Embed node texts", ParDo.of(new EmbedNodesFn(rule)))
                .setCoder(KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(float[].class)))
                .apply("Node vectors for every worker", View.asMap());
        TupleTag<GraphSummarySample> keptTag = new TupleTag<>();
        TupleTag<Reject> rejectTag = new TupleTag<>();
        PCollectionTuple out =
            samples.apply(
                "Align summaries",
                ParDo.of(new AlignFn(rule, vectors, keptTag, rejectTag))
                    .withSideInputs(vectors)
                    .withOutputTags(keptTag, TupleTagList.of(rejectTag)));
        return StepResult.of(out, keptTag, AvroCoder.of(GraphSummarySample.class), rejectTag);
      }
    };
  }

  static String embeddedText(GraphNode n) {
    String text = n.text().isBlank() ? n.id() : n.text();
    return text.length() > MAX_EMBED_CHARS ? text.substring(0, MAX_EMBED_CHARS) : text;
  }

  /** Buffers a bundle's nodes and embeds them a batch at a time. */
  static final class EmbedNodesFn extends DoFn<GraphNode, KV<String, float[]>> {
    private final AlignRule rule;
    private transient TextEmbedder embedder;
    private transient List<GraphNode> pending;

    EmbedNodesFn(AlignRule rule) {
      this.rule = rule;
    }

    @Setup
    public void setup() throws IOException {
      embedder = new TextEmbedder(rule);
    }

    @StartBundle
    public void start() {
      pending = new ArrayList<>();
    }

    @ProcessElement
    public void process(@Element GraphNode node, OutputReceiver<KV<String, float[]>> out)
        throws Exception {
      pending.add(node);
      if (pending.size() >= rule.batchSize()) {
        flush((id, v) -> out.output(KV.of(id, v)));
      }
    }

    @FinishBundle
    public void finish(FinishBundleContext c) throws Exception {
      flush((id, v) -> c.output(KV.of(id, v), Instant.now(), GlobalWindow.INSTANCE));
    }

    private void flush(java.util.function.BiConsumer<String, float[]> out) throws Exception {
      if (pending.isEmpty()) {
        return;
      }
      List<float[]> vs = embedder.embed(pending.stream().map(Alignment::embeddedText).toList());
      for (int i = 0; i < vs.size(); i++) {
        out.accept(pending.get(i).id(), vs.get(i));
      }
      pending.clear();
    }

    @Teardown
    public void teardown() {
      if (embedder != null) {
        embedder.close();
      }
    }
  }

  /** A sample waiting for its summary's embedding, with the mean of its node vectors. */
  private record Waiting(GraphSummarySample sample, float[] nodesMean) {}

  static final class AlignFn extends DoFn<GraphSummarySample, GraphSummarySample> {
    private final AlignRule rule;
    private final PCollectionView<Map<String, float[]>> vectors;
    private final TupleTag<GraphSummarySample> keptTag;
    private final TupleTag<Reject> rejectTag;
    private final Distribution scores = Metrics.distribution(GraphReasons.ALIGN, "align_score");
    private transient TextEmbedder embedder;
    private transient List<Waiting> pending;

    AlignFn(
        AlignRule rule,
        PCollectionView<Map<String, float[]>> vectors,
        TupleTag<GraphSummarySample> keptTag,
        TupleTag<Reject> rejectTag) {
      this.rule = rule;
      this.vectors = vectors;
      this.keptTag = keptTag;
      this.rejectTag = rejectTag;
    }

    @Setup
    public void setup() throws IOException {
      embedder = new TextEmbedder(rule);
    }

    @StartBundle
    public void start() {
      pending = new ArrayList<>();
    }

    @ProcessElement
    public void process(@Element GraphSummarySample sample, ProcessContext c) {
      Map<String, float[]> byNode = c.sideInput(vectors);
      float[] mean = null;
      for (String id : sample.getNodeIds()) {
        float[] v = byNode.get(id);
        if (mean == null) {
          mean = new float[v.length];
        }
        for (int i = 0; i < v.length; i++) {
          mean[i] += v[i];
        }
      }
      pending.add(new Waiting(sample, TextEmbedder.normalise(mean)));
      if (pending.size() >= rule.batchSize()) {
        flush(
            new Out() {
              @Override
              public void kept(GraphSummarySample s) {
                c.output(keptTag, s);
              }

              @Override
              public void rejected(Reject r) {
                c.output(rejectTag, r);
              }
            });
      }
    }

    @FinishBundle
    public void finish(FinishBundleContext c) {
      flush(
          new Out() {
            @Override
            public void kept(GraphSummarySample s) {
              c.output(keptTag, s, Instant.now(), GlobalWindow.INSTANCE);
            }

            @Override
            public void rejected(Reject r) {
              c.output(rejectTag, r, Instant.now(), GlobalWindow.INSTANCE);
            }
          });
    }

    private interface Out {
      void kept(GraphSummarySample s);

      void rejected(Reject r);
    }

    private void flush(Out out) {
      if (pending.isEmpty()) {
        return;
      }
      List<float[]> summaries;
      try {
        summaries = embedder.embed(pending.stream().map(w -> w.sample().getSummary()).toList());
      } catch (Exception batchFailure) {
        summaries = new ArrayList<>();
        for (Waiting w : pending) {
          try {
            summaries.add(embedder.embed(List.of(w.sample().getSummary())).get(0));
          } catch (Exception e) {
            summaries.add(null);
            out.rejected(
                Rejects.ofError(
                    w.sample().getSampleId(), w.sample().getSeedNode(), GraphReasons.ALIGN, e));
          }
        }
      }
      for (int i = 0; i < pending.size(); i++) {
        float[] s = summaries.get(i);
        if (s == null) {
          continue;
        }
        Waiting w = pending.get(i);
        float score = (float) TextEmbedder.dot(s, w.nodesMean());
        scores.update(Math.round(score * 1000));
        GraphSummarySample scored =
            GraphSummarySample.newBuilder(w.sample()).setAlignScore(score).build();
        if (score < rule.minAlign()) {
          out.rejected(
              Rejects.of(
                  scored.getSampleId(),
                  scored.getSeedNode(),
                  GraphReasons.ALIGN,
                  GraphReasons.ALIGN_BELOW_THRESHOLD,
                  String.format(
                      java.util.Locale.ROOT,
                      "align_score %.4f < --min-align %.4f",
                      score,
                      rule.minAlign())));
        } else {
          out.kept(scored);
        }
      }
      pending.clear();
    }

    @Teardown
    public void teardown() {
      if (embedder != null) {
        embedder.close();
      }
    }
  }
}
