package dev.corpusforge.pipelines.graphsummary;

import dev.corpusforge.core.BatchStep;
import dev.corpusforge.core.Outcome;
import dev.corpusforge.core.RecordIdentity;
import dev.corpusforge.core.SideStep;
import dev.corpusforge.core.Stage;
import dev.corpusforge.core.cache.CacheOptions;
import dev.corpusforge.core.cache.CacheSpec;
import dev.corpusforge.schemas.GraphSummarySample;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * The alignment filter, in three steps, two of them batched model steps ({@link Stage#batched}):
 * each node's text is embedded once (not once per sample it appears in) and handed to workers as a
 * map; each sample takes the mean of its nodes' vectors; each summary is embedded in batches and
 * scored against that mean. {@code align_score} is written on every scored sample; one under {@code
 * --min-align} is {@code align_below_threshold}; a summary the encoder fails on alone, or a sample
 * with a node whose text the encoder failed on, is {@code error:<Exception>} (stage {@code align}).
 * Metrics: {@code align/align_score} (distribution, ×1000), the batched steps' under {@code align}
 * (node texts) and {@code Align summary and graph} (summaries).
 */
final class Alignment {
  /** Node text embedded: its first chars (the encoder truncates to its own max length anyway). */
  private static final int MAX_EMBED_CHARS = 4000;

  static final RecordIdentity<GraphSummarySample> SAMPLE =
      RecordIdentity.of(GraphSummarySample::getSampleId, GraphSummarySample::getSeedNode);
  static final RecordIdentity<Waiting> WAITING =
      RecordIdentity.of(w -> w.sample().getSampleId(), w -> w.sample().getSeedNode());

  private Alignment() {}

  /** The unit vector of every node's text, by node id, for every worker. */
  static PCollectionView<Map<String, float[]>> nodeVectors(
      PCollection<GraphNode> nodes, AlignRule rule) {
    CacheSpec cache = CacheOptions.spec(nodes.getPipeline().getOptions());
    return nodes
        .apply(
            "Embed node texts",
            Stage.batched(
                GraphReasons.ALIGN,
                new EmbedNodes(rule, cache),
                SampleSteps.NODE,
                KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(float[].class)),
                rule.batchSize()))
        .kept()
        .apply("Node vectors for every worker", View.asMap());
  }

  /** The batched stage that scores summaries against their nodes' mean. */
  static Stage<Waiting, GraphSummarySample> alignSummaries(AlignRule rule, CacheSpec cache) {
    return Stage.batched(
        GraphReasons.ALIGN,
        new AlignSummaries(rule, cache),
        WAITING,
        AvroCoder.of(GraphSummarySample.class),
        rule.batchSize());
  }

  static String embeddedText(GraphNode n) {
    String text = n.text().isBlank() ? n.id() : n.text();
    return text.length() > MAX_EMBED_CHARS ? text.substring(0, MAX_EMBED_CHARS) : text;
  }

  /** A batched step holding a text embedder per instance. */
  abstract static class Embedding<I, O> implements BatchStep<I, O> {
    final AlignRule rule;
    final CacheSpec cache;
    transient TextEmbedder embedder;

    Embedding(AlignRule rule, CacheSpec cache) {
      this.rule = rule;
      this.cache = cache;
    }

    @Override
    public void setup() throws IOException {
      embedder = new TextEmbedder(rule, cache);
    }

    @Override
    public void teardown() {
      if (embedder != null) {
        embedder.close();
      }
    }
  }

  /** Embeds a batch of node texts. */
  static final class EmbedNodes extends Embedding<GraphNode, KV<String, float[]>> {
    EmbedNodes(AlignRule rule, CacheSpec cache) {
      super(rule, cache);
    }

    @Override
    public List<Outcome<KV<String, float[]>>> apply(List<GraphNode> batch) throws Exception {
      List<float[]> vs = embedder.embed(batch.stream().map(Alignment::embeddedText).toList());
      List<Outcome<KV<String, float[]>>> out = new ArrayList<>(vs.size());
      for (int i = 0; i < vs.size(); i++) {
        out.add(Outcome.keep(KV.of(batch.get(i).id(), vs.get(i))));
      }
      return out;
    }
  }

  /** A sample waiting for its summary's embedding, with the mean of its node vectors. */
  record Waiting(GraphSummarySample sample, float[] nodesMean) implements Serializable {}

  /** The unit mean of a sample's node vectors. */
  static final class MeanOfNodes
      implements SideStep<Map<String, float[]>, GraphSummarySample, Waiting> {
    @Override
    public Outcome<Waiting> apply(GraphSummarySample sample, Map<String, float[]> byNode) {
      float[] mean = null;
      for (String id : sample.getNodeIds()) {
        float[] v = byNode.get(id);
        if (v == null) {
          throw new IllegalStateException("the text of node " + id + " could not be embedded");
        }
        if (mean == null) {
          mean = new float[v.length];
        }
        for (int i = 0; i < v.length; i++) {
          mean[i] += v[i];
        }
      }
      return Outcome.keep(new Waiting(sample, TextEmbedder.normalise(mean)));
    }
  }

  /** Embeds a batch of summaries and keeps those aligned with their nodes. */
  static final class AlignSummaries extends Embedding<Waiting, GraphSummarySample> {
    private final Distribution scores = Metrics.distribution(GraphReasons.ALIGN, "align_score");

    AlignSummaries(AlignRule rule, CacheSpec cache) {
      super(rule, cache);
    }

    @Override
    public List<Outcome<GraphSummarySample>> apply(List<Waiting> batch) throws Exception {
      List<float[]> summaries =
          embedder.embed(batch.stream().map(w -> w.sample().getSummary()).toList());
      List<Outcome<GraphSummarySample>> out = new ArrayList<>(batch.size());
      for (int i = 0; i < batch.size(); i++) {
        Waiting w = batch.get(i);
        float score = (float) TextEmbedder.dot(summaries.get(i), w.nodesMean());
        scores.update(Math.round(score * 1000));
        GraphSummarySample scored =
            GraphSummarySample.newBuilder(w.sample()).setAlignScore(score).build();
        out.add(
            score < rule.minAlign()
                ? Outcome.drop(
                    GraphReasons.ALIGN_BELOW_THRESHOLD,
                    String.format(
                        Locale.ROOT, "align_score %.4f < --min-align %.4f", score, rule.minAlign()))
                : Outcome.keep(scored));
      }
      return out;
    }
  }
}
