package dev.corpusforge.core;

import dev.corpusforge.schemas.Reject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.IterableCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupIntoBatches;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;

/**
 * The one batched model step: records are spread over batching keys by sample id and grouped into
 * batches ({@link Batching}, Beam's {@code GroupIntoBatches}), each batch goes through a {@link
 * BatchStep} at once, and a batch that fails is retried record by record so only the culprit is
 * dropped. Kept records and reject rows come out as a {@link StepResult}. ({@link Stage#batched}
 * runs the same batches on the records a worker holds, inside a recipe's chain, for records too
 * heavy to move.)
 *
 * <p>Metrics, in the namespace of the stage: counters {@code items}, {@code batches}, {@code
 * retried_batches}, {@code kept}, {@code rejected} and one per reason; per-batch distributions
 * {@code batch_size}, {@code batch_millis} and {@code items_per_second}.
 *
 * <pre>{@code
 * StepResult<ImageTextSample> scored =
 *     samples.apply("Score", Batched.of("score", new ScoreBatch<>(config, access), identity,
 *         coder, Batching.grouped(32, 5_000, 16)));
 * }</pre>
 */
public final class Batched<I, O> extends PTransform<PCollection<I>, StepResult<O>> {
  private final String stage;
  private final BatchStep<I, O> step;
  private final RecordIdentity<I> identity;
  private final Coder<O> outputCoder;
  private final Batching batching;

  private Batched(
      String stage,
      BatchStep<I, O> step,
      RecordIdentity<I> identity,
      Coder<O> outputCoder,
      Batching batching) {
    this.stage = Objects.requireNonNull(stage, "stage");
    this.step = Objects.requireNonNull(step, "step");
    this.identity = Objects.requireNonNull(identity, "identity");
    this.outputCoder = Objects.requireNonNull(outputCoder, "outputCoder");
    this.batching = Objects.requireNonNull(batching, "batching");
  }

  /** {@code step} over batches of the input; its drops are rejects of stage {@code stage}. */
  public static <I, O> Batched<I, O> of(
      String stage,
      BatchStep<I, O> step,
      RecordIdentity<I> identity,
      Coder<O> outputCoder,
      Batching batching) {
    return new Batched<>(stage, step, identity, outputCoder, batching);
  }

  @Override
  public StepResult<O> expand(PCollection<I> input) {
    TupleTag<O> keptTag = new TupleTag<>();
    TupleTag<Reject> rejectTag = new TupleTag<>();
    Runner<I, O> runner = new Runner<>(stage, stage, step, identity);
    RecordIdentity<I> id = identity;
    int keys = batching.keys();
    PCollectionTuple out =
        input
            .apply(
                "Key for batching",
                MapElements.into(
                        TypeDescriptors.kvs(TypeDescriptors.integers(), input.getTypeDescriptor()))
                    .via((I record) -> KV.of(batchKey(id.sampleId(record), keys), record)))
            .setCoder(KvCoder.of(VarIntCoder.of(), input.getCoder()))
            .apply(
                "Batch",
                GroupIntoBatches.<Integer, I>ofSize(batching.size())
                    .withMaxBufferingDuration(Duration.millis(batching.maxBufferingMillis())))
            .setCoder(KvCoder.of(VarIntCoder.of(), IterableCoder.of(input.getCoder())))
            .apply(
                "Run batches",
                ParDo.of(new GroupedFn<>(runner, keptTag, rejectTag))
                    .withOutputTags(keptTag, TupleTagList.of(rejectTag)));
    return StepResult.of(out, keptTag, outputCoder, rejectTag);
  }

  /** A stable key in [0, keys) from the sample id, whatever the runner. */
  static int batchKey(String sampleId, int keys) {
    int h = 0;
    for (byte b : sampleId.getBytes(StandardCharsets.UTF_8)) {
      h = 31 * h + b;
    }
    return Math.floorMod(h, keys);
  }

  /** Runs one batch: the step, the retry, the rejects and the metrics. */
  static final class Runner<I, O> implements java.io.Serializable {
    private final String stage;
    private final String namespace;
    private final BatchStep<I, O> step;
    private final RecordIdentity<I> identity;
    private final Counter items;
    private final Counter batches;
    private final Counter retried;
    private final Counter kept;
    private final Counter rejected;
    private final Distribution batchSize;
    private final Distribution batchMillis;
    private final Distribution itemsPerSecond;

    Runner(String stage, String namespace, BatchStep<I, O> step, RecordIdentity<I> identity) {
      this.stage = stage;
      this.namespace = namespace;
      this.step = step;
      this.identity = identity;
      this.items = Metrics.counter(namespace, "items");
      this.batches = Metrics.counter(namespace, "batches");
      this.retried = Metrics.counter(namespace, "retried_batches");
      this.kept = Metrics.counter(namespace, "kept");
      this.rejected = Metrics.counter(namespace, "rejected");
      this.batchSize = Metrics.distribution(namespace, "batch_size");
      this.batchMillis = Metrics.distribution(namespace, "batch_millis");
      this.itemsPerSecond = Metrics.distribution(namespace, "items_per_second");
    }

    void setup() throws Exception {
      step.setup();
    }

    void teardown() throws Exception {
      step.teardown();
    }

    void run(List<I> batch, RecordSink<O> out) {
      if (batch.isEmpty()) {
        return;
      }
      long start = System.nanoTime();
      List<Outcome<O>> outcomes;
      try {
        outcomes = step.apply(batch);
        if (outcomes.size() != batch.size()) {
          throw new IllegalStateException(
              outcomes.size() + " outcomes for a batch of " + batch.size());
        }
      } catch (Exception | OutOfMemoryError batchFailure) {
        retried.inc();
        outcomes = new ArrayList<>(batch.size());
        for (I record : batch) {
          outcomes.add(alone(record));
        }
      }
      for (int i = 0; i < batch.size(); i++) {
        Outcome<O> outcome = outcomes.get(i);
        if (outcome.kept()) {
          kept.inc();
          out.kept(outcome.value());
        } else {
          I record = batch.get(i);
          rejected.inc();
          Metrics.counter(namespace, outcome.reason()).inc();
          out.rejected(
              Rejects.of(
                  identity.sampleId(record),
                  identity.source(record),
                  stage,
                  outcome.reason(),
                  outcome.detail()));
        }
      }
      long millis = Math.max(1, (System.nanoTime() - start) / 1_000_000);
      items.inc(batch.size());
      batches.inc();
      batchSize.update(batch.size());
      batchMillis.update(millis);
      itemsPerSecond.update(batch.size() * 1000L / millis);
    }

    private Outcome<O> alone(I record) {
      try {
        List<Outcome<O>> one = step.apply(List.of(record));
        if (one.size() != 1) {
          throw new IllegalStateException(one.size() + " outcomes for one record");
        }
        return one.get(0);
      } catch (Exception | OutOfMemoryError e) {
        return step.failedAlone(record, e);
      }
    }
  }

  /** Runs the batches {@code GroupIntoBatches} formed. */
  static final class GroupedFn<I, O> extends DoFn<KV<Integer, Iterable<I>>, O> {
    private final Runner<I, O> runner;
    private final TupleTag<O> keptTag;
    private final TupleTag<Reject> rejectTag;

    GroupedFn(Runner<I, O> runner, TupleTag<O> keptTag, TupleTag<Reject> rejectTag) {
      this.runner = runner;
      this.keptTag = keptTag;
      this.rejectTag = rejectTag;
    }

    @Setup
    public void setup() throws Exception {
      runner.setup();
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<I>> batch, MultiOutputReceiver out) {
      List<I> records = new ArrayList<>();
      batch.getValue().forEach(records::add);
      runner.run(
          records,
          new RecordSink<>() {
            @Override
            public void kept(O record) {
              out.get(keptTag).output(record);
            }

            @Override
            public void rejected(Reject reject) {
              out.get(rejectTag).output(reject);
            }
          });
    }

    @Teardown
    public void teardown() throws Exception {
      runner.teardown();
    }
  }
}
