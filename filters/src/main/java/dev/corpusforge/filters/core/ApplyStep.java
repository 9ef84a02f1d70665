package dev.corpusforge.filters.core;

import dev.corpusforge.schemas.Reject;
import java.util.Objects;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Applies a {@link Step} to every record, routing kept records and reject rows to two outputs and
 * counting both per reason (Beam counters in namespace {@code stage}: {@code kept}, {@code
 * rejected}, and one per reason). A step may also throw {@link RuleViolation} to drop a record; any
 * other exception rejects that record alone with {@code
 * error:<ExceptionClass>}.
 *
 * <pre>{@code
 * StepResult<ImageTextSample> text =
 *     samples.apply("Text rules", ApplyStep.of("text", new TextStep(rules), identity));
 * }</pre>
 */
public final class ApplyStep<T> extends PTransform<PCollection<T>, StepResult<T>> {
  private final String stage;
  private final Step<T> step;
  private final RecordIdentity<T> identity;

  private ApplyStep(String stage, Step<T> step, RecordIdentity<T> identity) {
    this.stage = stage;
    this.step = step;
    this.identity = identity;
  }

  public static <T> ApplyStep<T> of(String stage, Step<T> step, RecordIdentity<T> identity) {
    return new ApplyStep<>(stage, step, identity);
  }

  @Override
  public StepResult<T> expand(PCollection<T> input) {
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(identity, "identity");
    TupleTag<T> keptTag = new TupleTag<>();
    TupleTag<Reject> rejectTag = new TupleTag<>();
    Coder<T> coder = input.getCoder();
    PCollectionTuple out =
        input.apply(
            "Apply " + stage,
            ParDo.of(new ApplyStepFn<>(stage, step, identity, keptTag, rejectTag))
                .withOutputTags(keptTag, TupleTagList.of(rejectTag)));
    return StepResult.of(out, keptTag, coder, rejectTag);
  }

  static final class ApplyStepFn<T> extends DoFn<T, T> {
    private final String stage;
    private final Step<T> step;
    private final RecordIdentity<T> identity;
    private final TupleTag<T> keptTag;
    private final TupleTag<Reject> rejectTag;
    private final Counter kept;
    private final Counter rejected;

    ApplyStepFn(String stage, Step<T> step, RecordIdentity<T> identity, TupleTag<T> keptTag, TupleTag<Reject> rejectTag) {
      this.stage = stage;
      this.step = step;
      this.identity = identity;
      this.keptTag = keptTag;
      this.rejectTag = rejectTag;
      this.kept = Metrics.counter(stage, "kept");
      this.rejected = Metrics.counter(stage, "rejected");
    }

    @Setup
    public void setup() throws Exception {
      step.setup();
    }

    @ProcessElement
    public void process(@Element T record, MultiOutputReceiver out) {
      Reject reject;
      try {
        Outcome<T> outcome = step.apply(record);
        if (outcome.kept()) {
          kept.inc();
          out.get(keptTag).output(outcome.value());
          return;
        }
        reject = Rejects.of(identity.sampleId(record), identity.source(record), stage, outcome.reason(), outcome.detail());
      } catch (RuleViolation v) {
        reject = Rejects.of(identity.sampleId(record), identity.source(record), stage, v.reason(), v.detail());
      } catch (Exception | StackOverflowError | OutOfMemoryError e) {
        reject = Rejects.ofError(identity.sampleId(record), identity.source(record), stage, e);
      }
      rejected.inc();
      Metrics.counter(stage, reject.getReason()).inc();
      out.get(rejectTag).output(reject);
    }
  }
}
