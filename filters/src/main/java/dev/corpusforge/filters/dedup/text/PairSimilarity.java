package dev.corpusforge.filters.dedup.text;

import java.nio.ByteBuffer;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TupleTag;

/**
 * The estimated Jaccard similarity of id pairs: each pair meets its first signature in a join by
 * the first id, then its second in a join by the second id. Only the pairs and the signatures they
 * name cross the shuffles, never the documents.
 */
final class PairSimilarity {
  private PairSimilarity() {}

  static PCollection<DuplicateClusters.Pair> of(
      PCollection<KV<String, String>> pairs,
      PCollection<KV<String, byte[]>> signatures,
      String name) {
    TupleTag<byte[]> sigTag = new TupleTag<>();
    TupleTag<String> otherTag = new TupleTag<>();
    TupleTag<KV<String, byte[]>> halfTag = new TupleTag<>();
    PCollection<KV<String, KV<String, byte[]>>> half =
        KeyedPCollectionTuple.of(sigTag, signatures)
            .and(otherTag, pairs)
            .apply(name + ": first signatures", CoGroupByKey.create())
            .apply(name + ": to the second id", ParDo.of(new FirstFn(sigTag, otherTag)))
            .setCoder(
                KvCoder.of(
                    StringUtf8Coder.of(), KvCoder.of(StringUtf8Coder.of(), ByteArrayCoder.of())));
    return KeyedPCollectionTuple.of(sigTag, signatures)
        .and(halfTag, half)
        .apply(name + ": second signatures", CoGroupByKey.create())
        .apply(name + ": similarity", ParDo.of(new SecondFn(sigTag, halfTag)))
        .setCoder(SerializableCoder.of(DuplicateClusters.Pair.class));
  }

  /** For the id a: (b, (a, signature of a)) for every pair (a, b). */
  static final class FirstFn extends DoFn<KV<String, CoGbkResult>, KV<String, KV<String, byte[]>>> {
    private final TupleTag<byte[]> sigTag;
    private final TupleTag<String> otherTag;

    FirstFn(TupleTag<byte[]> sigTag, TupleTag<String> otherTag) {
      this.sigTag = sigTag;
      this.otherTag = otherTag;
    }

    @ProcessElement
    public void process(
        @Element KV<String, CoGbkResult> group,
        OutputReceiver<KV<String, KV<String, byte[]>>> out) {
      byte[] sig = group.getValue().getOnly(sigTag, null);
      if (sig == null) {
        return;
      }
      for (String other : group.getValue().getAll(otherTag)) {
        out.output(KV.of(other, KV.of(group.getKey(), sig)));
      }
    }
  }

  /** For the id b: the pair (a, b) and their similarity, for every a waiting on b. */
  static final class SecondFn extends DoFn<KV<String, CoGbkResult>, DuplicateClusters.Pair> {
    private final TupleTag<byte[]> sigTag;
    private final TupleTag<KV<String, byte[]>> halfTag;

    SecondFn(TupleTag<byte[]> sigTag, TupleTag<KV<String, byte[]>> halfTag) {
      this.sigTag = sigTag;
      this.halfTag = halfTag;
    }

    @ProcessElement
    public void process(
        @Element KV<String, CoGbkResult> group, OutputReceiver<DuplicateClusters.Pair> out) {
      byte[] sig = group.getValue().getOnly(sigTag, null);
      if (sig == null) {
        return;
      }
      long[] second = MinHash.fromBytes(ByteBuffer.wrap(sig));
      for (KV<String, byte[]> first : group.getValue().getAll(halfTag)) {
        out.output(
            new DuplicateClusters.Pair(
                first.getKey(),
                group.getKey(),
                MinHash.similarity(MinHash.fromBytes(ByteBuffer.wrap(first.getValue())), second)));
      }
    }
  }
}
