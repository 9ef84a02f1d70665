package dev.corpusforge.pipelines.som;

import dev.corpusforge.core.Tally;
import dev.corpusforge.schemas.Reject;
import java.io.Serializable;
import org.apache.beam.sdk.coders.SerializableCoder;
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
      PCollection<SomInput> inputs, PCollection<Reject> rejects, PCollection<Tally> counts) {}

  /** The output tags of a reading step. */
  static final class Tags implements Serializable {
    final TupleTag<SomInput> inputs = new TupleTag<>() {};
    final TupleTag<Reject> rejects = new TupleTag<>() {};
    final TupleTag<Tally> counts = new TupleTag<>() {};

    Read result(PCollectionTuple out) {
      return new Read(
          out.get(inputs).setCoder(SerializableCoder.of(SomInput.class)),
          out.get(rejects).setCoder(AvroCoder.of(Reject.class)),
          out.get(counts).setCoder(Tally.coder()));
    }
  }

  /** A count for {@link SomCounts}; nothing when {@code n} is 0. */
  static void count(DoFn.OutputReceiver<Tally> out, String name, long n) {
    if (n != 0) {
      out.output(Tally.of(name, n));
    }
  }
}
