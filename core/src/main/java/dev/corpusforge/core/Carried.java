package dev.corpusforge.core;

import dev.corpusforge.core.output.ParquetParts;
import dev.corpusforge.schemas.Reject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.StructuredCoder;
import org.apache.beam.sdk.coders.VoidCoder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;

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

  /** The records, rejects and tallies of a chain, each in its own collection. */
  record Split<T>(StepResult<T> result, PCollection<Tally> tallies) {}

  /** {@code records} as the start of a chain, under {@code name}. */
  static <T> PCollection<Carried<T>> carry(String name, PCollection<T> records) {
    return records
        .apply(name, MapElements.into(new TypeDescriptor<Carried<T>>() {}).via(Carried::record))
        .setCoder(coder(records.getCoder()));
  }

  /**
   * Ends a chain, under {@code name}: each carried value to its own collection. The records part
   * from the rest in one step with two outputs, and the rejects from the tallies in a second step
   * on that rest: on Flink every output of a step reads, and decodes, all that the step emits, so a
   * third output beside the records would decode every record once more.
   */
  static <T> Split<T> split(String name, PCollection<Carried<T>> chain) {
    TupleTag<T> recordTag = new TupleTag<>();
    TupleTag<Carried<Void>> restTag = new TupleTag<>();
    Coder<T> recordCoder = ((CarriedCoder<T>) chain.getCoder()).recordCoder();
    PCollectionTuple out =
        chain.apply(
            name,
            ParDo.of(new SplitFn<T>(recordTag, restTag))
                .withOutputTags(recordTag, TupleTagList.of(restTag)));
    Rest rest = splitRest(name, out.get(restTag));
    return new Split<>(
        new StepResult<>(
            chain.getPipeline(),
            recordTag,
            out.get(recordTag).setCoder(recordCoder),
            rest.rejectTag(),
            rest.rejects()),
        rest.tallies());
  }

  /** The rejects and the tallies of a chain, each in its own collection. */
  private record Rest(
      TupleTag<Reject> rejectTag, PCollection<Reject> rejects, PCollection<Tally> tallies) {}

  private static Rest splitRest(String name, PCollection<Carried<Void>> restOfChain) {
    TupleTag<Reject> rejectTag = new TupleTag<>();
    TupleTag<Tally> tallyTag = new TupleTag<>();
    PCollectionTuple rest =
        restOfChain
            .setCoder(coder(VoidCoder.of()))
            .apply(
                name + ": rejects and tallies",
                ParDo.of(new RestFn(rejectTag, tallyTag))
                    .withOutputTags(rejectTag, TupleTagList.of(tallyTag)));
    return new Rest(
        rejectTag,
        rest.get(rejectTag).setCoder(AvroCoder.of(Reject.class)),
        rest.get(tallyTag).setCoder(Tally.coder()));
  }

  /**
   * The end of a chain whose records are written in the step that ends it: the files written, what
   * the statistics see of each record, and the rejects and tallies.
   */
  record WrittenSplit<T>(
      PCollection<KV<String, String>> files,
      PCollection<T> forStats,
      PCollection<Reject> rejects,
      PCollection<Tally> tallies) {}

  /**
   * Ends a chain, under {@code name}, writing the row of each record ({@code row}) through {@code
   * files} in the same step: on Flink that step is chained to the last stage, so a record is
   * written where it is made instead of being encoded to every step that reads it (each output of a
   * step with several reads all it emits). What goes on is {@code forStats} of each record, which
   * leaves out what no statistic reads (long texts, image bytes), and the rest of the chain.
   */
  static <T> WrittenSplit<T> splitWriting(
      String name,
      PCollection<Carried<T>> chain,
      ParquetParts.BundleFiles files,
      SerializableFunction<T, GenericRecord> row,
      SerializableFunction<T, T> forStats) {
    TupleTag<KV<String, String>> filesTag = new TupleTag<>();
    TupleTag<T> statsTag = new TupleTag<>();
    TupleTag<Carried<Void>> restTag = new TupleTag<>();
    Coder<T> recordCoder = ((CarriedCoder<T>) chain.getCoder()).recordCoder();
    PCollectionTuple out =
        chain.apply(
            name,
            ParDo.of(new WriteSplitFn<T>(files, row, forStats, filesTag, statsTag, restTag))
                .withOutputTags(filesTag, TupleTagList.of(statsTag).and(restTag)));
    // every output's coder before any output is read: reading one completes them all
    PCollection<KV<String, String>> written =
        out.get(filesTag).setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()));
    PCollection<T> seen = out.get(statsTag).setCoder(recordCoder);
    Rest rest = splitRest(name, out.get(restTag));
    return new WrittenSplit<>(written, seen, rest.rejects(), rest.tallies());
  }

  /** Writes records, passes on what the statistics see of them and the rest. */
  static final class WriteSplitFn<T> extends DoFn<Carried<T>, KV<String, String>> {
    private final ParquetParts.BundleFiles files;
    private final SerializableFunction<T, GenericRecord> row;
    private final SerializableFunction<T, T> forStats;
    private final TupleTag<KV<String, String>> filesTag;
    private final TupleTag<T> statsTag;
    private final TupleTag<Carried<Void>> restTag;

    WriteSplitFn(
        ParquetParts.BundleFiles files,
        SerializableFunction<T, GenericRecord> row,
        SerializableFunction<T, T> forStats,
        TupleTag<KV<String, String>> filesTag,
        TupleTag<T> statsTag,
        TupleTag<Carried<Void>> restTag) {
      this.files = files;
      this.row = row;
      this.forStats = forStats;
      this.filesTag = filesTag;
      this.statsTag = statsTag;
      this.restTag = restTag;
    }

    @StartBundle
    public void startBundle() {
      files.start();
    }

    @ProcessElement
    public void process(@Element Carried<T> in, MultiOutputReceiver out) throws IOException {
      if (in.isRecord()) {
        files.write(row.apply(in.record()));
        out.get(statsTag).output(forStats.apply(in.record()));
      } else {
        out.get(restTag).output(in.passOn());
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) throws IOException {
      for (KV<String, String> written : files.finish()) {
        context.output(
            filesTag, written, GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE);
      }
    }

    @Teardown
    public void teardown() {
      files.abandon();
    }
  }

  static final class SplitFn<T> extends DoFn<Carried<T>, T> {
    private final TupleTag<T> recordTag;
    private final TupleTag<Carried<Void>> restTag;

    SplitFn(TupleTag<T> recordTag, TupleTag<Carried<Void>> restTag) {
      this.recordTag = recordTag;
      this.restTag = restTag;
    }

    @ProcessElement
    public void process(@Element Carried<T> in, MultiOutputReceiver out) {
      if (in.isRecord()) {
        out.get(recordTag).output(in.record());
      } else {
        out.get(restTag).output(in.passOn());
      }
    }
  }

  static final class RestFn extends DoFn<Carried<Void>, Reject> {
    private final TupleTag<Reject> rejectTag;
    private final TupleTag<Tally> tallyTag;

    RestFn(TupleTag<Reject> rejectTag, TupleTag<Tally> tallyTag) {
      this.rejectTag = rejectTag;
      this.tallyTag = tallyTag;
    }

    @ProcessElement
    public void process(@Element Carried<Void> in, MultiOutputReceiver out) {
      if (in.rejectRow() != null) {
        out.get(rejectTag).output(in.rejectRow());
      } else {
        out.get(tallyTag).output(in.tallied());
      }
    }
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
