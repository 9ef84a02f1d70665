package dev.corpusforge.core;

import java.io.Serializable;
import java.util.List;

/**
 * A step that runs on a batch of records at once (a model's forward pass): one {@link Outcome} per
 * record, in the batch's order. If the batch throws, {@link Batched} retries each record alone, so
 * only a record that fails alone is dropped, with {@link #failedAlone}'s reason. Heavy state
 * belongs in {@link #setup()}, as for {@link Step}.
 */
public interface BatchStep<I, O> extends Serializable {
  List<Outcome<O>> apply(List<I> batch) throws Exception;

  /**
   * The drop of a record that fails alone: by default the one error policy, {@code
   * error:<ExceptionClass>} with the message as detail.
   */
  default Outcome<O> failedAlone(I record, Throwable error) {
    return Outcome.drop(Rejects.errorReason(error), String.valueOf(error.getMessage()));
  }

  default void setup() throws Exception {}

  default void teardown() throws Exception {}
}
