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

/** The two outputs of a stage: the records it kept and the reject rows of those it dropped. */
public final class StepResult<T> implements POutput {
  private final Pipeline pipeline;
  private final TupleTag<T> keptTag;
  private final PCollection<T> kept;
  private final TupleTag<Reject> rejectsTag;
  private final PCollection<Reject> rejects;

  public StepResult(
      Pipeline pipeline,
      TupleTag<T> keptTag,
      PCollection<T> kept,
      TupleTag<Reject> rejectsTag,
      PCollection<Reject> rejects) {
    this.pipeline = pipeline;
    this.keptTag = keptTag;
    this.kept = kept;
    this.rejectsTag = rejectsTag;
    this.rejects = rejects;
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

  @Override
  public Pipeline getPipeline() {
    return pipeline;
  }

  @Override
  public Map<TupleTag<?>, PValue> expand() {
    return Map.of(keptTag, kept, rejectsTag, rejects);
  }

  @Override
  public void finishSpecifyingOutput(
      String transformName, PInput input, PTransform<?, ?> transform) {}
}
