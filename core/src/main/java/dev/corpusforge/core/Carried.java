package dev.corpusforge.core;

import dev.corpusforge.schemas.Reject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.StructuredCoder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;

/**
 * What travels down a {@link Recipe}'s chain of stages: a record still in the recipe, or the reject
 * row or tally a stage made. A stage applies its step to records and passes the rest on, so every
 * stage has one input and one output: runners fuse the chain (Flink chains the operators and hands
 * records over in memory) instead of encoding every record between two stages.
 */
public final class Carried<T> {
  private final T record;
  private final Reject reject;
  private final Tally tally;

  private Carried(T record, Reject reject, Tally tally) {
    this.record = record;
    this.reject = reject;
    this.tally = tally;
  }

  public static <T> Carried<T> record(T record) {
    return new Carried<>(record, null, null);
  }

  public static <T> Carried<T> reject(Reject reject) {
    return new Carried<>(null, reject, null);
  }

  public static <T> Carried<T> tally(Tally tally) {
    return new Carried<>(null, null, tally);
  }

  public boolean isRecord() {
    return reject == null && tally == null;
  }

  public T record() {
    return record;
  }

  public Reject rejectRow() {
    return reject;
  }

  public Tally tallied() {
    return tally;
  }

  /** This reject or tally as carried among records of another type. */
  @SuppressWarnings("unchecked")
  <O> Carried<O> passOn() {
    if (isRecord()) {
      throw new IllegalStateException("a record is not passed on unchanged");
    }
    return (Carried<O>) this;
  }

  /** Encodes a tag byte, then the record with {@code recordCoder}, the reject or the tally. */
  public static <T> Coder<Carried<T>> coder(Coder<T> recordCoder) {
    return new CarriedCoder<>(recordCoder);
  }

  static final class CarriedCoder<T> extends StructuredCoder<Carried<T>> {
    private static final Coder<Reject> REJECT = AvroCoder.of(Reject.class);
    private static final Coder<Tally> TALLY = Tally.coder();
    private final Coder<T> recordCoder;

    CarriedCoder(Coder<T> recordCoder) {
      this.recordCoder = recordCoder;
    }

    Coder<T> recordCoder() {
      return recordCoder;
    }

    @Override
    public void encode(Carried<T> value, OutputStream out) throws IOException {
      if (value.reject != null) {
        out.write(1);
        REJECT.encode(value.reject, out);
      } else if (value.tally != null) {
        out.write(2);
        TALLY.encode(value.tally, out);
      } else {
        out.write(0);
        recordCoder.encode(value.record, out);
      }
    }

    @Override
    public Carried<T> decode(InputStream in) throws IOException {
      int tag = in.read();
      return switch (tag) {
        case 0 -> record(recordCoder.decode(in));
        case 1 -> reject(REJECT.decode(in));
        case 2 -> tally(TALLY.decode(in));
        default -> throw new IOException("not a carried value: tag " + tag);
      };
    }

    @Override
    public List<? extends Coder<?>> getCoderArguments() {
      return List.of(recordCoder);
    }

    @Override
    public void verifyDeterministic() throws NonDeterministicException {
      verifyDeterministic(this, "records must encode deterministically", recordCoder);
    }
  }
}
