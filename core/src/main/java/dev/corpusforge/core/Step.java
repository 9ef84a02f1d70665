package dev.corpusforge.core;

import java.io.Serializable;

/**
 * One step of a recipe applied to one record: returns the record it becomes (the same type,
 * enriched, or another type) or a drop with a reason. A step may throw: {@link RuleViolation} for a
 * broken rule, anything else for a failure, which {@link Stage} turns into the reject {@code
 * error:<ExceptionClass>}.
 *
 * <p>Steps are created on the driver and serialised to workers; heavy state (models, detectors,
 * clients) belongs in {@link #setup()}, which runs once per worker instance before the first
 * record, and is released in {@link #teardown()}.
 */
public interface Step<I, O> extends Serializable {
  Outcome<O> apply(I record) throws Exception;

  default void setup() throws Exception {}

  default void teardown() throws Exception {}
}
