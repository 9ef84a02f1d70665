package dev.corpusforge.scorers.beam;

import dev.corpusforge.core.Batched;
import dev.corpusforge.core.Batching;
import dev.corpusforge.core.StepResult;
import dev.corpusforge.core.cache.CacheOptions;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;

/**
 * Scores image-caption pairs with a dual-encoder bundle in batches: records are spread over {@code
 * keys} batching keys by their sample id, grouped into batches of {@code batchSize} (or whatever
 * arrived within {@code maxBufferingMillis}), and each batch goes through the model in one forward
 * pass per encoder ({@link ScoreBatch}) through the one batched step ({@link Batched}). Pairs that
 * cannot be scored become reject rows with {@code score_error}; a failing batch is retried pair by
 * pair so only the culprit is rejected. Metrics in namespace {@code score} are {@link Batched}'s.
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
    return input.apply(
        "Run model",
        Batched.of(
            STAGE,
            new ScoreBatch<>(config, access, CacheOptions.spec(input.getPipeline().getOptions())),
            access,
            input.getCoder(),
            Batching.grouped(config.batchSize(), config.maxBufferingMillis(), config.keys())));
  }
}
