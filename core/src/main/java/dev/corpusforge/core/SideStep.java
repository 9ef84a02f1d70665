package dev.corpusforge.core;

import java.io.Serializable;

/**
 * A step that reads, beside each record, one value shared by every record of the run and made by
 * the pipeline itself (a graph built from the input tables), which every worker receives as a side
 * input. What a step derives from that value (a sampler, the chosen seeds) it keeps per worker for
 * as long as the value is the same object. Otherwise as {@link Step}.
 */
public interface SideStep<S, I, O> extends Serializable {
  Outcome<O> apply(I record, S shared) throws Exception;

  default void setup() throws Exception {}

  default void teardown() throws Exception {}
}
