package dev.corpusforge.core;

import java.io.Serializable;
import java.util.List;

/**
 * A step that turns one record into several (a document into its chunks): keeps it as a list of
 * outputs, possibly empty, or drops it with a reason. Otherwise as {@link Step}.
 */
public interface FlatStep<I, O> extends Serializable {
  Outcome<List<O>> apply(I record) throws Exception;

  default void setup() throws Exception {}

  default void teardown() throws Exception {}
}
