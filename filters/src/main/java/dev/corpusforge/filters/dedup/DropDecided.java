package dev.corpusforge.filters.dedup;

import dev.corpusforge.core.RecordIdentity;
import dev.corpusforge.core.Rejects;
import dev.corpusforge.core.StepResult;
import dev.corpusforge.schemas.Reject;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
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
 * Applies a whole-corpus decision given as (sample id, detail) pairs: a record whose id has a
 * detail is rejected with {@code reason} and that detail, every other record is kept. The records
 * meet their decisions in one join by id.
 */
public final class DropDecided<T> extends PTransform<PCollection<T>, StepResult<T>> {
  private final PCollection<KV<String, String>> decisions;
  private final RecordIdentity<T> identity;
  private final String reason;

  public DropDecided(
      PCollection<KV<String, String>> decisions, RecordIdentity<T> identity, String reason) {
    this.decisions = decisions;
    this.identity = identity;
    this.reason = reason;
  }

  @Override
  public StepResult<T> expand(PCollection<T> input) {
    RecordIdentity<T> ids = identity;
    TupleTag<T> recordsTag = new TupleTag<>();
    TupleTag<String> decisionTag = new TupleTag<>();
    TupleTag<T> keptTag = new TupleTag<>();
    TupleTag<Reject> rejectTag = new TupleTag<>();
    PCollection<KV<String, T>> byId =
        input
            .apply("Key by id", WithKeys.of((SerializableFunction<T, String>) ids::sampleId))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), input.getCoder()));
    PCollectionTuple out =
        KeyedPCollectionTuple.of(recordsTag, byId)
            .and(decisionTag, decisions)
            .apply("Join decisions", CoGroupByKey.create())
            .apply(
                "Drop decided",
                ParDo.of(new DropFn<>(recordsTag, decisionTag, keptTag, rejectTag, ids, reason))
                    .withOutputTags(keptTag, TupleTagList.of(rejectTag)));
    return StepResult.of(out, keptTag, input.getCoder(), rejectTag);
  }

  static final class DropFn<T> extends DoFn<KV<String, CoGbkResult>, T> {
    private final TupleTag<T> recordsTag;
    private final TupleTag<String> decisionTag;
    private final TupleTag<T> keptTag;
    private final TupleTag<Reject> rejectTag;
    private final RecordIdentity<T> identity;
    private final String reason;
    private final Counter rejected;

    DropFn(
        TupleTag<T> recordsTag,
        TupleTag<String> decisionTag,
        TupleTag<T> keptTag,
        TupleTag<Reject> rejectTag,
        RecordIdentity<T> identity,
        String reason) {
      this.recordsTag = recordsTag;
      this.decisionTag = decisionTag;
      this.keptTag = keptTag;
      this.rejectTag = rejectTag;
      this.identity = identity;
      this.reason = reason;
      this.rejected = Metrics.counter(ExactDuplicateFilter.STAGE, reason);
    }

    @ProcessElement
    public void process(@Element KV<String, CoGbkResult> group, MultiOutputReceiver out) {
      String detail = group.getValue().getOnly(decisionTag, null);
      for (T record : group.getValue().getAll(recordsTag)) {
        if (detail == null) {
          out.get(keptTag).output(record);
        } else {
          rejected.inc();
          out.get(rejectTag)
              .output(
                  Rejects.of(
                      identity.sampleId(record),
                      identity.source(record),
                      ExactDuplicateFilter.STAGE,
                      reason,
                      detail));
        }
      }
    }
  }
}
