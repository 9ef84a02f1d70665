package dev.corpusforge.core;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Consecutive stages of a {@link Recipe} that read the same shared value (graph-summary's graph),
 * run one after another by one DoFn. Flink's batch runner gives every operator that reads a side
 * input its own copy of the value, decoded once per operator, and chains none of them, so four
 * stages reading a 63 k-node graph as four operators decoded it four times and encoded every record
 * between them. Here the value is decoded once and records go from stage to stage in memory; each
 * stage keeps its node's counters and its stage name in the rejects it makes.
 */
final class SharedChain extends PTransform<PCollection<Carried<Object>>, PCollection<Carried<?>>> {
  /** One stage of the chain, counting under {@code node}. */
  static final class Link implements Serializable {
    final String node;
    final Stage<Object, Object> stage;
    private final Counter kept;
    private final Counter rejected;

    @SuppressWarnings("unchecked")
    Link(String node, Stage<?, ?> stage) {
      this.node = node;
      this.stage = (Stage<Object, Object>) stage;
      this.kept = Metrics.counter(node, "kept");
      this.rejected = Metrics.counter(node, "rejected");
    }

    PCollectionView<?> shared() {
      return stage.sharedView();
    }

    void apply(Object record, DoFn<?, ?>.ProcessContext c, Consumer<Carried<Object>> out) {
      stage.applyTo(record, c, node, kept, rejected, out);
    }
  }

  private final List<Link> links;

  SharedChain(List<Link> links) {
    if (links.isEmpty() || links.stream().anyMatch(l -> l.shared() != links.get(0).shared())) {
      throw new IllegalArgumentException("a shared chain's stages read one shared value");
    }
    this.links = List.copyOf(links);
  }

  /** The chain's name: its stages' nodes in order. */
  String name() {
    return String.join(" + ", links.stream().map(l -> l.node).toList());
  }

  @Override
  public PCollection<Carried<?>> expand(PCollection<Carried<Object>> input) {
    @SuppressWarnings("unchecked")
    Coder<Carried<?>> coder =
        (Coder<Carried<?>>) (Coder<?>) Carried.coder(links.get(links.size() - 1).stage.coder());
    return input
        .apply(
            "Apply stages",
            ParDo.of(new ChainFn(links)).withSideInputs(List.of(links.get(0).shared())))
        .setCoder(coder);
  }

  static final class ChainFn extends DoFn<Carried<Object>, Carried<?>> {
    private final List<Link> links;

    ChainFn(List<Link> links) {
      this.links = new ArrayList<>(links);
    }

    @Setup
    public void setup() throws Exception {
      for (Link l : links) {
        l.stage.setupStep();
      }
    }

    @ProcessElement
    public void process(ProcessContext c) {
      Carried<Object> in = c.element();
      if (in.isRecord()) {
        run(0, in.record(), c);
      } else {
        c.output(in.passOn());
      }
    }

    /** Stage {@code i} on {@code record}; what it keeps goes on to the next stage. */
    private void run(int i, Object record, ProcessContext c) {
      links
          .get(i)
          .apply(
              record,
              c,
              carried -> {
                if (carried.isRecord() && i + 1 < links.size()) {
                  run(i + 1, carried.record(), c);
                } else {
                  c.output(carried);
                }
              });
    }

    @Teardown
    public void teardown() throws Exception {
      for (Link l : links) {
        l.stage.teardownStep();
      }
    }
  }
}
