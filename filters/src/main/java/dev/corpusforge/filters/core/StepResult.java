package dev.corpusforge.filters.core;

import dev.corpusforge.schemas.Reject;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.transforms.PTransform;

/** The two outputs of a stage: the records it kept and the reject rows of those it dropped. */
public final class StepResult<T> implements POutput {
  private final Pipeline pipeline;
  private final TupleTag<T> keptTag;
  private final PCollection<T> kept;
  private final TupleTag<Reject> rejectsTag;
  private final PCollection<Reject> rejects;

  public StepResult(Pipeline pipeline, TupleTag<T> keptTag, PCollection<T> kept, TupleTag<Reject> rejectsTag, PCollection<Reject> rejects) {
    this.pipeline = pipeline;
    this.keptTag = keptTag;
    this.kept = kept;
    this.rejectsTag = rejectsTag;
    this.rejects = rejects;
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
  public void finishSpecifyingOutput(String transformName, PInput input, PTransform<?, ?> transform) {}
}
