package dev.corpusforge.core;

import dev.corpusforge.schemas.Reject;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;

/**
 * The outputs of a stage: the records it kept and the reject rows of those it dropped, and what it
 * counted on the way ({@link #tallies}) when it counts anything.
 */
public final class StepResult<T> implements POutput {
  private final Pipeline pipeline;
  private final TupleTag<T> keptTag;
  private final PCollection<T> kept;
  private final TupleTag<Reject> rejectsTag;
  private final PCollection<Reject> rejects;
  private final TupleTag<Tally> talliesTag = new TupleTag<>();
  private final PCollection<Tally> tallies;

  public StepResult(
      Pipeline pipeline,
      TupleTag<T> keptTag,
      PCollection<T> kept,
      TupleTag<Reject> rejectsTag,
      PCollection<Reject> rejects) {
    this(pipeline, keptTag, kept, rejectsTag, rejects, null);
  }

  private StepResult(
      Pipeline pipeline,
      TupleTag<T> keptTag,
      PCollection<T> kept,
      TupleTag<Reject> rejectsTag,
      PCollection<Reject> rejects,
      PCollection<Tally> tallies) {
    this.pipeline = pipeline;
    this.keptTag = keptTag;
    this.kept = kept;
    this.rejectsTag = rejectsTag;
    this.rejects = rejects;
    this.tallies = tallies;
  }

  /**
   * The result of a multi-output step: kept records under {@code keptTag}, reject rows under {@code
   * rejectTag}.
   */
  public static <T> StepResult<T> of(
      PCollectionTuple out, TupleTag<T> keptTag, Coder<T> coder, TupleTag<Reject> rejectTag) {
    return new StepResult<>(
        out.getPipeline(),
        keptTag,
        out.get(keptTag).setCoder(coder),
        rejectTag,
        out.get(rejectTag).setCoder(AvroCoder.of(Reject.class)));
  }

  public PCollection<T> kept() {
    return kept;
  }

  public PCollection<Reject> rejects() {
    return rejects;
  }

  /** What the stage counted (summed by whoever reads it), or null when it counts nothing. */
  public PCollection<Tally> tallies() {
    return tallies;
  }

  /** This result with {@code counted} as its tallies (null: none). */
  public StepResult<T> withTallies(PCollection<Tally> counted) {
    return new StepResult<>(pipeline, keptTag, kept, rejectsTag, rejects, counted);
  }

  @Override
  public Pipeline getPipeline() {
    return pipeline;
  }

  @Override
  public Map<TupleTag<?>, PValue> expand() {
    return tallies == null
        ? Map.of(keptTag, kept, rejectsTag, rejects)
        : Map.of(keptTag, kept, rejectsTag, rejects, talliesTag, tallies);
  }

  @Override
  public void finishSpecifyingOutput(
      String transformName, PInput input, PTransform<?, ?> transform) {}
}
