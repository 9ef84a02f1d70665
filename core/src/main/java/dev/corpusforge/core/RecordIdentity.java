package dev.corpusforge.core;

import java.io.Serializable;
import org.apache.beam.sdk.transforms.SerializableFunction;

/** How to find the sample id and the source location of a record, to build its reject row. */
public interface RecordIdentity<T> extends Serializable {
  String sampleId(T record);

  String source(T record);

  /** The identity that reads the sample id and the source with these two functions. */
  static <T> RecordIdentity<T> of(
      SerializableFunction<T, String> sampleId, SerializableFunction<T, String> source) {
    return new RecordIdentity<>() {
      @Override
      public String sampleId(T record) {
        return sampleId.apply(record);
      }

      @Override
      public String source(T record) {
        return source.apply(record);
      }
    };
  }
}
