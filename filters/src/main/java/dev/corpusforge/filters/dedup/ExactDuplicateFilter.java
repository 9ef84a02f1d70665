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
 * with the smallest sample id, so the choice is the same on every runner.
 */
public final class ExactDuplicateFilter<T> extends PTransform<PCollection<T>, StepResult<T>> {
  public static final String STAGE = "dedup";
  private final SerializableFunction<T, String> contentHash;
  private final RecordIdentity<T> identity;

  private ExactDuplicateFilter(
      SerializableFunction<T, String> contentHash, RecordIdentity<T> identity) {
    this.contentHash = contentHash;
    this.identity = identity;
  }

  public static <T> ExactDuplicateFilter<T> of(
      SerializableFunction<T, String> contentHash, RecordIdentity<T> identity) {
    return new ExactDuplicateFilter<>(contentHash, identity);
  }

  @Override
  public StepResult<T> expand(PCollection<T> input) {
    TupleTag<T> keptTag = new TupleTag<>();
    TupleTag<Reject> rejectTag = new TupleTag<>();
    PCollectionTuple out =
        input
            .apply("Key by content hash", WithKeys.of(contentHash))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), input.getCoder()))
            .apply("Group equal content", GroupByKey.create())
            .apply(
                "Keep smallest id",
                ParDo.of(new KeepSmallestFn<>(identity, keptTag, rejectTag))
                    .withOutputTags(keptTag, TupleTagList.of(rejectTag)));
    return StepResult.of(out, keptTag, input.getCoder(), rejectTag);
  }

  static final class KeepSmallestFn<T> extends DoFn<KV<String, Iterable<T>>, T> {
    private final RecordIdentity<T> identity;
    private final TupleTag<T> keptTag;
    private final TupleTag<Reject> rejectTag;
    private final Counter rejected = Metrics.counter(STAGE, DedupReasons.DUP_IMAGE_EXACT);

    KeepSmallestFn(RecordIdentity<T> identity, TupleTag<T> keptTag, TupleTag<Reject> rejectTag) {
      this.identity = identity;
      this.keptTag = keptTag;
      this.rejectTag = rejectTag;
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
                    DedupReasons.DUP_IMAGE_EXACT,
                    "same pixels as " + survivorId + " (" + identity.source(survivor) + ")"));
      }
    }
  }
}
