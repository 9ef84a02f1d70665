package dev.corpusforge.filters.dedup;

import dev.corpusforge.core.RecordIdentity;
import dev.corpusforge.core.Rejects;
import dev.corpusforge.core.StepResult;
import dev.corpusforge.schemas.Reject;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Exact duplicates: records with the same content hash collapse to one; the survivor is the one
 * with the smallest sample id, so the choice is the same on every runner. Images by default ({@code
 * dup_image_exact}, "same pixels as"); {@link #as} names another content. A record without a hash
 * (null) is nobody's duplicate.
 */
public final class ExactDuplicateFilter<T> extends PTransform<PCollection<T>, StepResult<T>> {
  public static final String STAGE = "dedup";
  private final SerializableFunction<T, String> contentHash;
  private final RecordIdentity<T> identity;
  private final String reason;
  private final String same;

  private ExactDuplicateFilter(
      SerializableFunction<T, String> contentHash,
      RecordIdentity<T> identity,
      String reason,
      String same) {
    this.contentHash = contentHash;
    this.identity = identity;
    this.reason = reason;
    this.same = same;
  }

  public static <T> ExactDuplicateFilter<T> of(
      SerializableFunction<T, String> contentHash, RecordIdentity<T> identity) {
    return new ExactDuplicateFilter<>(
        contentHash, identity, DedupReasons.DUP_IMAGE_EXACT, "same pixels as");
  }

  /** The same filter with another reason, and what the detail says is the same ("same … as"). */
  public ExactDuplicateFilter<T> as(String reason, String same) {
    return new ExactDuplicateFilter<>(contentHash, identity, reason, same);
  }

  @Override
  public StepResult<T> expand(PCollection<T> input) {
    TupleTag<T> keptTag = new TupleTag<>();
    TupleTag<Reject> rejectTag = new TupleTag<>();
    PCollectionTuple out =
        input
            .apply("Key by content hash", WithKeys.of(keyOf(contentHash, identity)))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), input.getCoder()))
            .apply("Group equal content", GroupByKey.create())
            .apply(
                "Keep smallest id",
                ParDo.of(new KeepSmallestFn<>(identity, keptTag, rejectTag, reason, same))
                    .withOutputTags(keptTag, TupleTagList.of(rejectTag)));
    return StepResult.of(out, keptTag, input.getCoder(), rejectTag);
  }

  /** The hash, or for a record without one a key of its own (its id after a NUL). */
  private static <T> SerializableFunction<T, String> keyOf(
      SerializableFunction<T, String> contentHash, RecordIdentity<T> identity) {
    return record -> {
      String hash = contentHash.apply(record);
      return hash != null ? hash : "\u0000" + identity.sampleId(record);
    };
  }

  static final class KeepSmallestFn<T> extends DoFn<KV<String, Iterable<T>>, T> {
    private final RecordIdentity<T> identity;
    private final TupleTag<T> keptTag;
    private final TupleTag<Reject> rejectTag;
    private final String reason;
    private final String same;
    private final Counter rejected;

    KeepSmallestFn(
        RecordIdentity<T> identity,
        TupleTag<T> keptTag,
        TupleTag<Reject> rejectTag,
        String reason,
        String same) {
      this.identity = identity;
      this.keptTag = keptTag;
      this.rejectTag = rejectTag;
      this.reason = reason;
      this.same = same;
      this.rejected = Metrics.counter(STAGE, reason);
    }

    /**
     * One pass over the group (Flink's GBK results are not re-iterable); only ids and sources are
     * held.
     */
    @ProcessElement
    public void process(@Element KV<String, Iterable<T>> group, MultiOutputReceiver out) {
      T survivor = null;
      List<String[]> members = new ArrayList<>();
      for (T record : group.getValue()) {
        members.add(new String[] {identity.sampleId(record), identity.source(record)});
        if (survivor == null
            || identity.sampleId(record).compareTo(identity.sampleId(survivor)) < 0) {
          survivor = record;
        }
      }
      String survivorId = identity.sampleId(survivor);
      out.get(keptTag).output(survivor);
      boolean survivorSeen = false;
      for (String[] member : members) {
        if (member[0].equals(survivorId) && !survivorSeen) {
          survivorSeen = true;
          continue;
        }
        rejected.inc();
        out.get(rejectTag)
            .output(
                Rejects.of(
                    member[0],
                    member[1],
                    STAGE,
                    reason,
                    same + " " + survivorId + " (" + identity.source(survivor) + ")"));
      }
    }
  }
}
