package dev.corpusforge.core;

import dev.corpusforge.schemas.Reject;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * One named stage of a recipe: applies a {@link Step} (or a {@link FlatStep}) to every record and
 * routes what it keeps and the reject rows of what it drops to two outputs. The stage owns the
 * tags, the output coder, the counters and the error policy, so a step holds only its rule:
 *
 * <ul>
 *   <li>what a step counted on the way ({@link Outcome#counting}) goes down a {@link Recipe}'s
 *       chain to the run's statistics;
 *   <li>Beam counters in the namespace of the stage name: {@code kept}, {@code rejected}, and one
 *       per reason;
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
   * A stage whose step turns each record into any number of records, encoded with {@code
   * outputCoder}.
   */
  public static <I, O> Stage<I, O> flat(
      String name, FlatStep<I, O> step, RecordIdentity<I> identity, Coder<O> outputCoder) {
    return new Stage<>(
        name, Body.of(step), identity, Objects.requireNonNull(outputCoder, "outputCoder"));
  }

  /**
   * The stage on its own: its kept records and its rejects in two collections. (What its step
   * counts reaches the run's statistics only inside a {@link Recipe}.)
   */
  @Override
  public StepResult<O> expand(PCollection<I> input) {
    PCollection<Carried<O>> out = Carried.carry("Carry", input).apply(carried());
    return Carried.split("Split", out).result();
  }

  /** What a stage runs per record: a {@link Step} or a {@link FlatStep}. */
  private static final class Body<I, O> implements java.io.Serializable {
    private final Step<I, O> one;
    private final FlatStep<I, O> many;

    private Body(Step<I, O> one, FlatStep<I, O> many) {
      this.one = one;
      this.many = many;
    }

    static <I, O> Body<I, O> of(Step<I, O> step) {
      return new Body<>(Objects.requireNonNull(step, "step"), null);
    }

    static <I, O> Body<I, O> of(FlatStep<I, O> step) {
      return new Body<>(null, Objects.requireNonNull(step, "step"));
    }

    Outcome<?> apply(I record) throws Exception {
      return one != null ? one.apply(record) : many.apply(record);
    }

    void setup() throws Exception {
      if (one != null) {
        one.setup();
      } else {
        many.setup();
      }
    }

    void teardown() throws Exception {
      if (one != null) {
        one.teardown();
      } else {
        many.teardown();
      }
    }

    /** The outputs of a kept outcome: its record, or its list of records. */
    @SuppressWarnings("unchecked")
    Iterable<O> outputs(Outcome<?> kept) {
      return one != null ? List.of((O) kept.value()) : (List<O>) kept.value();
    }
  }

  /**
   * This stage inside a {@link Recipe}'s chain: one input, one output, rejects and tallies carried
   * down the chain with the records ({@link Carried}).
   */
  PTransform<PCollection<Carried<I>>, PCollection<Carried<O>>> carried() {
    return new PTransform<>() {
      @Override
      @SuppressWarnings("unchecked")
      public PCollection<Carried<O>> expand(PCollection<Carried<I>> input) {
        Coder<O> coder =
            outputCoder != null
                ? outputCoder
                : (Coder<O>) ((Carried.CarriedCoder<I>) input.getCoder()).recordCoder();
        return input
            .apply("Apply " + stageName, ParDo.of(new CarriedFn<>(stageName, body, identity)))
            .setCoder(Carried.coder(coder));
      }
    };
  }

  /** Applies the step to one record: what it keeps, rejects and counts goes to {@code out}. */
  private static <I, O> void applyTo(
      I record,
      String stageName,
      Body<I, O> body,
      RecordIdentity<I> identity,
      Counter kept,
      Counter rejected,
      DoFn.OutputReceiver<Carried<O>> out) {
    Reject reject;
    try {
      Outcome<?> outcome = body.apply(record);
      if (outcome.tally() != null && !outcome.tally().isEmpty()) {
        out.output(Carried.tally(outcome.tally()));
      }
      if (outcome.kept()) {
        kept.inc();
        for (O o : body.outputs(outcome)) {
          out.output(Carried.record(o));
        }
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
    }
    rejected.inc();
    Metrics.counter(stageName, reject.getReason()).inc();
    out.output(Carried.reject(reject));
  }

  static final class CarriedFn<I, O> extends DoFn<Carried<I>, Carried<O>> {
    private final String stageName;
    private final Body<I, O> body;
    private final RecordIdentity<I> identity;
    private final Counter kept;
    private final Counter rejected;

    CarriedFn(String name, Body<I, O> body, RecordIdentity<I> identity) {
      this.stageName = name;
      this.body = body;
      this.identity = identity;
      this.kept = Metrics.counter(stageName, "kept");
      this.rejected = Metrics.counter(stageName, "rejected");
    }

    @Setup
    public void setup() throws Exception {
      body.setup();
    }

    @ProcessElement
    public void process(@Element Carried<I> in, OutputReceiver<Carried<O>> out) {
      if (!in.isRecord()) {
        out.output(in.passOn());
        return;
      }
      applyTo(in.record(), stageName, body, identity, kept, rejected, out);
    }

    @Teardown
    public void teardown() throws Exception {
      body.teardown();
    }
  }
}
