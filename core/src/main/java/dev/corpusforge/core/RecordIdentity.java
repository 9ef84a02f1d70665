package dev.corpusforge.core;

import java.io.Serializable;

/** How to find the sample id and the source location of a record, to build its reject row. */
public interface RecordIdentity<T> extends Serializable {
  String sampleId(T record);

  String source(T record);
}
