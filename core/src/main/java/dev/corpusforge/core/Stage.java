package dev.corpusforge.core;

import dev.corpusforge.schemas.Reject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * One named stage of a recipe: applies a {@link Step} (or a {@link FlatStep}) to every record and
 * routes what it keeps and the reject rows of what it drops to two outputs. The stage owns the
 * tags, the output coder, the counters and the error policy, so a step holds only its rule:
 *
 * <ul>
 *   <li>what a step counted on the way ({@link Outcome#counting}) goes down a {@link Recipe}'s
 *       chain to the run's statistics;
 *   <li>Beam counters {@code kept}, {@code rejected} and one per reason, in the namespace of the
 *       stage's node (its name in a {@link Recipe}, else the stage name);
 *   <li>a {@link RuleViolation} drops the record with its reason; any other exception (and a stack
 *       or heap overflow on one record) rejects that record alone as {@code error:<ExceptionClass>}
 *       with the message as detail ({@link Rejects#ofError}).
 * </ul>
 *
 * <pre>{@code
 * StepResult<ImageTextSample> text =
 *     samples.apply("Text rules", Stage.of("text", new TextStep(rules), identity));
 * }</pre>
 */
public final class Stage<I, O> extends PTransform<PCollection<I>, StepResult<O>> {
  private final String stageName;
  private final Body<I, O> body;
  private final RecordIdentity<I> identity;
  private final Coder<O> outputCoder;

  private Stage(String name, Body<I, O> body, RecordIdentity<I> identity, Coder<O> outputCoder) {
    this.stageName = Objects.requireNonNull(name, "name");
    this.body = Objects.requireNonNull(body, "step");
    this.identity = Objects.requireNonNull(identity, "identity");
    this.outputCoder = outputCoder;
  }

  /** A stage whose step keeps records of the type it reads (the input's coder serves both). */
  public static <T> Stage<T, T> of(String name, Step<T, T> step, RecordIdentity<T> identity) {
    return new Stage<>(name, Body.of(step), identity, null);
  }

  /**
   * A stage whose step turns each record into a record of another type, encoded with {@code
   * outputCoder}.
   */
  public static <I, O> Stage<I, O> of(
      String name, Step<I, O> step, RecordIdentity<I> identity, Coder<O> outputCoder) {
    return new Stage<>(
        name, Body.of(step), identity, Objects.requireNonNull(outputCoder, "outputCoder"));
  }

  /**
   * A stage whose step turns each record into any number of records, streamed to the stage's output
   * as the step makes them, encoded with {@code outputCoder}.
   */
  public static <I, O> Stage<I, O> flat(
      String name, FlatStep<I, O> step, RecordIdentity<I> identity, Coder<O> outputCoder) {
    return new Stage<>(
        name, Body.of(step), identity, Objects.requireNonNull(outputCoder, "outputCoder"));
  }

  /**
   * A stage whose step reads {@code shared}, a value the pipeline made (a graph), beside each
   * record; every worker receives it as a side input.
   */
  public static <S, I, O> Stage<I, O> withShared(
      String name,
      PCollectionView<S> shared,
      SideStep<S, I, O> step,
      RecordIdentity<I> identity,
      Coder<O> outputCoder) {
    return new Stage<>(
        name,
        Body.of(step, Objects.requireNonNull(shared, "shared")),
        identity,
        Objects.requireNonNull(outputCoder, "outputCoder"));
  }

  /**
   * A stage whose step runs on batches of the records each worker holds, {@code size} at a time
   * (the last of a bundle smaller), inside the recipe's chain, so heavy records (decoded images)
   * are not moved to be batched; a batch that fails is retried record by record ({@link Batched}'s
   * policy and metrics, in the namespace of the stage's node).
   */
  public static <I, O> Stage<I, O> batched(
      String name,
      BatchStep<I, O> step,
      RecordIdentity<I> identity,
      Coder<O> outputCoder,
      int size) {
    if (size < 1) {
      throw new IllegalArgumentException("a batch holds at least one record");
    }
    return new Stage<>(
        name,
        Body.of(Objects.requireNonNull(step, "step"), size),
        identity,
        Objects.requireNonNull(outputCoder, "outputCoder"));
  }

  /**
   * The stage on its own: its kept records and its rejects in two collections. (What its step
   * counts reaches the run's statistics only inside a {@link Recipe}.)
   */
  @Override
  public StepResult<O> expand(PCollection<I> input) {
    PCollection<Carried<O>> out = Carried.carry("Carry", input).apply(carried(stageName));
    return Carried.split("Split", out).result();
  }

  /** The shared value this stage's step reads, or null. */
  PCollectionView<?> sharedView() {
    return body.shared;
  }

  /** The coder of what this stage keeps; null when it is the input's. */
  Coder<O> coder() {
    return outputCoder;
  }

  void setupStep() throws Exception {
    body.setup();
  }

  void teardownStep() throws Exception {
    body.teardown();
  }

  /** This stage on one record, counting under {@code node} (a {@link SharedChain}'s link). */
  void applyTo(
      I record,
      DoFn<?, ?>.ProcessContext c,
      String node,
      Counter kept,
      Counter rejected,
      Consumer<Carried<O>> out) {
    applyTo(record, c, stageName, node, body, identity, kept, rejected, out, null);
  }

  /** What a stage runs per record: a {@link Step}, a {@link FlatStep} or a {@link SideStep}. */
  private static final class Body<I, O> implements java.io.Serializable {
    private final Step<I, O> one;
    private final FlatStep<I, O> many;
    private final SideStep<Object, I, O> withShared;
    private final PCollectionView<?> shared;
    final BatchStep<I, O> batch;
    final int batchSize;

    private Body(
        Step<I, O> one,
        FlatStep<I, O> many,
        SideStep<Object, I, O> withShared,
        PCollectionView<?> shared,
        BatchStep<I, O> batch,
        int batchSize) {
      this.one = one;
      this.many = many;
      this.withShared = withShared;
      this.shared = shared;
      this.batch = batch;
      this.batchSize = batchSize;
    }

    static <I, O> Body<I, O> of(Step<I, O> step) {
      return new Body<>(Objects.requireNonNull(step, "step"), null, null, null, null, 0);
    }

    static <I, O> Body<I, O> of(FlatStep<I, O> step) {
      return new Body<>(null, Objects.requireNonNull(step, "step"), null, null, null, 0);
    }

    @SuppressWarnings("unchecked")
    static <S, I, O> Body<I, O> of(SideStep<S, I, O> step, PCollectionView<S> shared) {
      return new Body<>(
          null,
          null,
          (SideStep<Object, I, O>) Objects.requireNonNull(step, "step"),
          shared,
          null,
          0);
    }

    static <I, O> Body<I, O> of(BatchStep<I, O> step, int size) {
      return new Body<>(null, null, null, null, step, size);
    }

    /**
     * Applies the step to {@code record}, handing what it keeps to {@code out}; {@code c} gives the
     * shared value.
     */
    Outcome<?> apply(I record, Object sharedValue, Consumer<O> out) throws Exception {
      if (many != null) {
        return many.apply(record, out);
      }
      Outcome<O> outcome = one != null ? one.apply(record) : withShared.apply(record, sharedValue);
      if (outcome.kept()) {
        out.accept(outcome.value());
      }
      return outcome;
    }

    List<PCollectionView<?>> sideInputs() {
      return shared == null ? List.of() : List.of(shared);
    }

    void setup() throws Exception {
      if (one != null) {
        one.setup();
      } else if (many != null) {
        many.setup();
      } else if (withShared != null) {
        withShared.setup();
      }
    }

    void teardown() throws Exception {
      if (one != null) {
        one.teardown();
      } else if (many != null) {
        many.teardown();
      } else if (withShared != null) {
        withShared.teardown();
      }
    }
  }

  /**
   * This stage inside a {@link Recipe}'s chain: one input, one output, rejects and tallies carried
   * down the chain with the records ({@link Carried}). Its counters are in the namespace {@code
   * node}, the name the recipe gives it, so two stages whose rejects share a stage name keep their
   * own counts.
   */
  PTransform<PCollection<Carried<I>>, PCollection<Carried<O>>> carried(String node) {
    return new PTransform<>() {
      @Override
      @SuppressWarnings("unchecked")
      public PCollection<Carried<O>> expand(PCollection<Carried<I>> input) {
        Coder<O> coder =
            outputCoder != null
                ? outputCoder
                : (Coder<O>) ((Carried.CarriedCoder<I>) input.getCoder()).recordCoder();
        return input
            .apply(
                "Apply " + stageName,
                ParDo.of(new CarriedFn<>(stageName, node, body, identity))
                    .withSideInputs(body.sideInputs()))
            .setCoder(Carried.coder(coder));
      }
    };
  }

  /** Applies the step to one record: what it keeps, rejects and counts goes to {@code out}. */
  private static <I, O> void applyTo(
      I record,
      DoFn<?, ?>.ProcessContext c,
      String stageName,
      String node,
      Body<I, O> body,
      RecordIdentity<I> identity,
      Counter kept,
      Counter rejected,
      Consumer<Carried<O>> out,
      Watchdog watchdog) {
    Reject reject;
    long running = 0;
    try {
      running = StageWatch.begin(stageName, identity.sampleId(record));
      Object sharedValue = body.shared == null ? null : c.sideInput(body.shared);
      Outcome<?> outcome =
          watchdog == null
              ? body.apply(record, sharedValue, o -> out.accept(Carried.record(o)))
              : watchdog.apply(body, record, sharedValue, o -> out.accept(Carried.record(o)));
      if (outcome.tally() != null && !outcome.tally().isEmpty()) {
        out.accept(Carried.tally(outcome.tally()));
      }
      if (outcome.kept()) {
        kept.inc();
        return;
      }
      reject =
          Rejects.of(
              identity.sampleId(record),
              identity.source(record),
              stageName,
              outcome.reason(),
              outcome.detail());
    } catch (RuleViolation v) {
      reject =
          Rejects.of(
              identity.sampleId(record),
              identity.source(record),
              stageName,
              v.reason(),
              v.detail());
    } catch (Exception | StackOverflowError | OutOfMemoryError e) {
      reject = Rejects.ofError(identity.sampleId(record), identity.source(record), stageName, e);
    } finally {
      if (running != 0) {
        StageWatch.end(running);
      }
    }
    rejected.inc();
    Metrics.counter(node, reject.getReason()).inc();
    out.accept(Carried.reject(reject));
  }

  /**
   * Runs a stage's step on a thread of its own and waits at most {@code millis} for each record
   * ({@link StageWatch}): a record that takes longer is rejected {@code <stage>_timeout}, its
   * thread interrupted and left, and the next record gets a new thread. What the step keeps is
   * handed on once it returns, on the caller's thread. A step deaf to interrupts may still run on
   * the left thread while the next record starts, so for a while two threads use one step instance:
   * a limit is for records that hang, not for the slowest normal ones.
   */
  static final class Watchdog {
    private final String stage;
    private final long millis;
    private java.util.concurrent.ExecutorService thread;

    Watchdog(String stage, long millis) {
      this.stage = stage;
      this.millis = millis;
    }

    <I, O> Outcome<?> apply(Body<I, O> body, I record, Object sharedValue, Consumer<O> out)
        throws Exception {
      if (thread == null) {
        thread =
            java.util.concurrent.Executors.newSingleThreadExecutor(
                r -> {
                  Thread t = new Thread(r, "stage-watch-" + stage);
                  t.setDaemon(true);
                  return t;
                });
      }
      List<O> held = new ArrayList<>();
      java.util.concurrent.Future<Outcome<?>> running =
          thread.submit(() -> body.apply(record, sharedValue, held::add));
      Outcome<?> outcome;
      try {
        outcome = running.get(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        running.cancel(true);
        close();
        throw new RuleViolation(
            StageWatch.reason(stage),
            String.format(
                java.util.Locale.ROOT,
                "over %.1f s in %s (--stage-timeout); the step was interrupted",
                millis / 1000.0,
                stage));
      } catch (java.util.concurrent.ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof Exception ex) {
          throw ex;
        }
        if (cause instanceof Error err) {
          throw err;
        }
        throw e;
      }
      held.forEach(out);
      return outcome;
    }

    void close() {
      if (thread != null) {
        thread.shutdownNow();
        thread = null;
      }
    }
  }

  static final class CarriedFn<I, O> extends DoFn<Carried<I>, Carried<O>> {
    private final String stageName;
    private final String node;
    private final Body<I, O> body;
    private final RecordIdentity<I> identity;
    private final Counter kept;
    private final Counter rejected;

    /** Runs the batches of a batched stage; null for the others. */
    private final Batched.Runner<I, O> batches;

    private transient List<I> pending;
    private transient Watchdog watchdog;
    private transient boolean watchdogChosen;

    CarriedFn(String name, String node, Body<I, O> body, RecordIdentity<I> identity) {
      this.stageName = name;
      this.node = node;
      this.body = body;
      this.identity = identity;
      this.kept = Metrics.counter(node, "kept");
      this.rejected = Metrics.counter(node, "rejected");
      this.batches =
          body.batch == null ? null : new Batched.Runner<>(name, node, body.batch, identity);
    }

    @Setup
    public void setup() throws Exception {
      if (batches != null) {
        batches.setup();
      } else {
        body.setup();
      }
    }

    @StartBundle
    public void start(PipelineOptions options) {
      pending = new ArrayList<>();
      if (!watchdogChosen && batches == null) {
        long millis = StageWatch.millis(options, stageName);
        watchdog = millis > 0 ? new Watchdog(stageName, millis) : null;
        watchdogChosen = true;
      }
    }

    @ProcessElement
    public void process(ProcessContext c) {
      Carried<I> in = c.element();
      if (!in.isRecord()) {
        c.output(in.passOn());
        return;
      }
      if (batches == null) {
        applyTo(
            in.record(), c, stageName, node, body, identity, kept, rejected, c::output, watchdog);
        return;
      }
      pending.add(in.record());
      if (pending.size() >= body.batchSize) {
        batches.run(pending, emit(c::output));
        pending = new ArrayList<>();
      }
    }

    /** The records a bundle ends with run as a last, smaller batch (bounded inputs only). */
    @FinishBundle
    public void finish(FinishBundleContext c) {
      if (batches != null && !pending.isEmpty()) {
        batches.run(
            pending,
            emit(
                carried ->
                    c.output(carried, BoundedWindow.TIMESTAMP_MIN_VALUE, GlobalWindow.INSTANCE)));
        pending = new ArrayList<>();
      }
    }

    private static <O> RecordSink<O> emit(Consumer<Carried<O>> out) {
      return new RecordSink<>() {
        @Override
        public void kept(O record) {
          out.accept(Carried.record(record));
        }

        @Override
        public void rejected(Reject reject) {
          out.accept(Carried.reject(reject));
        }
      };
    }

    @Teardown
    public void teardown() throws Exception {
      if (watchdog != null) {
        watchdog.close();
      }
      if (batches != null) {
        batches.teardown();
      } else {
        body.teardown();
      }
    }
  }
}
