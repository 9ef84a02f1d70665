package dev.corpusforge.core;

import java.io.Serializable;
import java.util.function.Consumer;

/**
 * A step that turns one record into several (a document into its chunks). It hands each output to
 * {@code out} as soon as it is made, so a record's outputs are streamed, never all held at once,
 * and returns {@link Outcome#emitted()} or a drop with a reason. A step decides a drop before its
 * first output: outputs already handed over stay emitted, and a record both emitted and rejected
 * shows in the run's accounting as {@code duplicated}. Otherwise as {@link Step}.
 */
public interface FlatStep<I, O> extends Serializable {
  Outcome<?> apply(I record, Consumer<O> out) throws Exception;

  default void setup() throws Exception {}

  default void teardown() throws Exception {}
}
