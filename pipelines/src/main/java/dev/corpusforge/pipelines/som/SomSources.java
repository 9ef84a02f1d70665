package dev.corpusforge.pipelines.som;

import dev.corpusforge.schemas.Reject;
import java.io.Serializable;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;

/**
 * What every som input source gives: images with their masks, rejects, and counts of dropped
 * annotations ({@code name\tn}).
 */
final class SomSources {
  private SomSources() {}

  record Read(
      PCollection<SomInput> inputs, PCollection<Reject> rejects, PCollection<String> counts) {}

  /** The output tags of a reading step. */
  static final class Tags implements Serializable {
    final TupleTag<SomInput> inputs = new TupleTag<>() {};
    final TupleTag<Reject> rejects = new TupleTag<>() {};
    final TupleTag<String> counts = new TupleTag<>() {};

    Read result(PCollectionTuple out) {
      return new Read(
          out.get(inputs).setCoder(SerializableCoder.of(SomInput.class)),
          out.get(rejects).setCoder(AvroCoder.of(Reject.class)),
          out.get(counts).setCoder(StringUtf8Coder.of()));
    }
  }

  /** A count line for {@link SomCounts}; nothing when {@code n} is 0. */
  static void count(DoFn.OutputReceiver<String> out, String name, long n) {
    if (n != 0) {
      out.output(SomCounts.line(name, n));
    }
  }
}
