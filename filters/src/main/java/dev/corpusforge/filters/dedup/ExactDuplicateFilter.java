package dev.corpusforge.filters.dedup;

import dev.corpusforge.filters.core.RecordIdentity;
import dev.corpusforge.filters.core.Rejects;
import dev.corpusforge.filters.core.StepResult;
import dev.corpusforge.schemas.Reject;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
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

  private ExactDuplicateFilter(SerializableFunction<T, String> contentHash, RecordIdentity<T> identity) {
    this.contentHash = contentHash;
    this.identity = identity;
  }

  public static <T> ExactDuplicateFilter<T> of(SerializableFunction<T, String> contentHash, RecordIdentity<T> identity) {
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
            .apply("Keep smallest id", ParDo.of(new KeepSmallestFn<>(identity, keptTag, rejectTag)).withOutputTags(keptTag, TupleTagList.of(rejectTag)));
    return new StepResult<>(input.getPipeline(), keptTag, out.get(keptTag).setCoder(input.getCoder()), rejectTag, out.get(rejectTag).setCoder(AvroCoder.of(Reject.class)));
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

    @ProcessElement
    public void process(@Element KV<String, Iterable<T>> group, MultiOutputReceiver out) {
      T survivor = null;
      for (T record : group.getValue()) {
        if (survivor == null || identity.sampleId(record).compareTo(identity.sampleId(survivor)) < 0) {
          survivor = record;
        }
      }
      String survivorId = identity.sampleId(survivor);
      for (T record : group.getValue()) {
        if (identity.sampleId(record).equals(survivorId)) {
          out.get(keptTag).output(record);
        } else {
          rejected.inc();
          out.get(rejectTag).output(Rejects.of(identity.sampleId(record), identity.source(record), STAGE, DedupReasons.DUP_IMAGE_EXACT,
              "same pixels as " + survivorId + " (" + identity.source(survivor) + ")"));
        }
      }
    }
  }
}
