package dev.corpusforge.filters.dedup;

import dev.corpusforge.core.RecordIdentity;
import dev.corpusforge.core.Rejects;
import dev.corpusforge.core.StepResult;
import dev.corpusforge.schemas.Reject;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * FILIP's caption frequency rule: drop every record whose caption occurs more than {@code maxCount}
 * times in the whole input. The counts come from {@code allCaptions} (one element per input record
 * with a caption, whatever later stages decided), so the rule sees the whole corpus, not only the
 * records that are left.
 */
public final class CaptionFrequencyFilter<T> extends PTransform<PCollection<T>, StepResult<T>> {
  public static final String STAGE = "dedup";
  private final PCollection<String> allCaptions;
  private final SerializableFunction<T, String> caption;
  private final RecordIdentity<T> identity;
  private final long maxCount;

  private CaptionFrequencyFilter(
      PCollection<String> allCaptions,
      SerializableFunction<T, String> caption,
      RecordIdentity<T> identity,
      long maxCount) {
    this.allCaptions = allCaptions;
    this.caption = caption;
    this.identity = identity;
    this.maxCount = maxCount;
  }

  /** {@code maxCount ≤ 0} turns the rule off. */
  public static <T> CaptionFrequencyFilter<T> of(
      PCollection<String> allCaptions,
      SerializableFunction<T, String> caption,
      RecordIdentity<T> identity,
      long maxCount) {
    return new CaptionFrequencyFilter<>(allCaptions, caption, identity, maxCount);
  }

  @Override
  public StepResult<T> expand(PCollection<T> input) {
    TupleTag<T> keptTag = new TupleTag<>();
    TupleTag<Reject> rejectTag = new TupleTag<>();
    if (maxCount <= 0) {
      PCollection<Reject> none =
          input
              .getPipeline()
              .apply(
                  "No caption rejects",
                  org.apache.beam.sdk.transforms.Create.empty(AvroCoder.of(Reject.class)));
      return new StepResult<>(input.getPipeline(), keptTag, input, rejectTag, none);
    }
    PCollection<KV<String, Long>> counts = allCaptions.apply("Count captions", Count.perElement());
    TupleTag<T> recordsTag = new TupleTag<>();
    TupleTag<Long> countTag = new TupleTag<>();
    PCollection<KV<String, T>> keyed =
        input
            .apply("Key by caption", WithKeys.of(caption))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), input.getCoder()));
    PCollectionTuple out =
        KeyedPCollectionTuple.of(recordsTag, keyed)
            .and(countTag, counts)
            .apply("Join caption counts", CoGroupByKey.create())
            .apply(
                "Drop frequent captions",
                ParDo.of(
                        new FrequencyFn<>(
                            recordsTag, countTag, keptTag, rejectTag, identity, maxCount))
                    .withOutputTags(keptTag, TupleTagList.of(rejectTag)));
    return StepResult.of(out, keptTag, input.getCoder(), rejectTag);
  }

  static final class FrequencyFn<T> extends DoFn<KV<String, CoGbkResult>, T> {
    private final TupleTag<T> recordsTag;
    private final TupleTag<Long> countTag;
    private final TupleTag<T> keptTag;
    private final TupleTag<Reject> rejectTag;
    private final RecordIdentity<T> identity;
    private final long maxCount;
    private final Counter rejected = Metrics.counter(STAGE, DedupReasons.CAPTION_FREQUENT);

    FrequencyFn(
        TupleTag<T> recordsTag,
        TupleTag<Long> countTag,
        TupleTag<T> keptTag,
        TupleTag<Reject> rejectTag,
        RecordIdentity<T> identity,
        long maxCount) {
      this.recordsTag = recordsTag;
      this.countTag = countTag;
      this.keptTag = keptTag;
      this.rejectTag = rejectTag;
      this.identity = identity;
      this.maxCount = maxCount;
    }

    @ProcessElement
    public void process(@Element KV<String, CoGbkResult> group, MultiOutputReceiver out) {
      long count = group.getValue().getOnly(countTag, 0L);
      for (T record : group.getValue().getAll(recordsTag)) {
        if (count > maxCount) {
          rejected.inc();
          out.get(rejectTag)
              .output(
                  Rejects.of(
                      identity.sampleId(record),
                      identity.source(record),
                      STAGE,
                      DedupReasons.CAPTION_FREQUENT,
                      "caption occurs " + count + " times > max " + maxCount));
        } else {
          out.get(keptTag).output(record);
        }
      }
    }
  }
}
