package dev.corpusforge.filters.core;

import java.io.Serializable;

/**
 * One stage of a pipeline applied to one record: returns the (possibly enriched) record or a drop
 * with a reason. A step may throw; {@link ApplyStep} turns the exception into a reject.
 *
 * <p>Steps are created on the driver and serialised to workers; heavy state (models, detectors)
 * belongs in {@link #setup()}, which runs once per worker instance before the first record.
 */
public interface Step<T> extends Serializable {
  Outcome<T> apply(T record) throws Exception;

  default void setup() throws Exception {}
}
