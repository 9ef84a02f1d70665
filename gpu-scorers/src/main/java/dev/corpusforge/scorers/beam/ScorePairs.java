package dev.corpusforge.scorers.beam;

import dev.corpusforge.core.StepResult;
import dev.corpusforge.schemas.Reject;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.GroupIntoBatches;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;

/**
 * Scores image-caption pairs with a dual-encoder bundle in batches: records are spread over {@code
 * keys} batching keys by their sample id, grouped into batches of {@code batchSize} (or whatever
 * arrived within {@code maxBufferingMillis}), and each batch goes through the model in one forward
 * pass per encoder ({@link ScoreBatchFn}). Pairs that cannot be scored become reject rows with
 * {@code score_error}; a failing batch is retried pair by pair so only the culprit is rejected.
 *
 * <pre>{@code
 * StepResult<ImageTextSample> scored = samples.apply("Score", ScorePairs.of(config, access));
 * }</pre>
 */
public final class ScorePairs<T> extends PTransform<PCollection<T>, StepResult<T>> {
  public static final String STAGE = "score";

  private final ScoringConfig config;
  private final PairAccess<T> access;

  private ScorePairs(ScoringConfig config, PairAccess<T> access) {
    this.config = config;
    this.access = access;
  }

  public static <T> ScorePairs<T> of(ScoringConfig config, PairAccess<T> access) {
    return new ScorePairs<>(config, access);
  }

  @Override
  public StepResult<T> expand(PCollection<T> input) {
    Coder<T> coder = input.getCoder();
    PairAccess<T> a = access;
    int keys = config.keys();
    TupleTag<T> scoredTag = new TupleTag<>();
    TupleTag<Reject> rejectTag = new TupleTag<>();
    PCollectionTuple out =
        input
            .apply(
                "Key for batching",
                MapElements.into(
                        TypeDescriptors.kvs(TypeDescriptors.integers(), input.getTypeDescriptor()))
                    .via((T record) -> KV.of(batchKey(a.sampleId(record), keys), record)))
            .setCoder(KvCoder.of(VarIntCoder.of(), coder))
            .apply(
                "Batch",
                GroupIntoBatches.<Integer, T>ofSize(config.batchSize())
                    .withMaxBufferingDuration(Duration.millis(config.maxBufferingMillis())))
            .apply(
                "Run model",
                ParDo.of(new ScoreBatchFn<>(config, access, scoredTag, rejectTag))
                    .withOutputTags(scoredTag, TupleTagList.of(rejectTag)));
    return StepResult.of(out, scoredTag, coder, rejectTag);
  }

  /** A stable key in [0, keys) from the sample id, whatever the runner. */
  static int batchKey(String sampleId, int keys) {
    int h = 0;
    for (byte b : sampleId.getBytes(StandardCharsets.UTF_8)) {
      h = 31 * h + b;
    }
    return Math.floorMod(h, keys);
  }
}
