package dev.corpusforge.scorers.beam;

import dev.corpusforge.core.Rejects;
import dev.corpusforge.filters.image.ImageCodec;
import dev.corpusforge.schemas.Reject;
import dev.corpusforge.scorers.PairScorer;
import dev.corpusforge.scorers.PairScores;
import dev.corpusforge.scorers.SharedBundles;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Runs one batch of pairs through the model. The bundle is loaded once per worker JVM ({@link
 * SharedBundles}); each instance of this function (one per thread) has its own predictors. A pair
 * whose image does not decode is rejected before the batch runs; if the batch's forward pass fails,
 * every pair is retried alone so only the ones that fail alone are rejected.
 *
 * <p>Metrics (namespace {@code score}): {@code pairs}, {@code batches}, {@code retried_batches},
 * {@code score_error}, and distributions {@code batch_size}, {@code batch_millis} and {@code
 * pairs_per_second} (per batch).
 */
final class ScoreBatchFn<T> extends DoFn<KV<Integer, Iterable<T>>, T> {
  private final ScoringConfig config;
  private final PairAccess<T> access;
  private final TupleTag<T> scoredTag;
  private final TupleTag<Reject> rejectTag;
  private final Counter pairs = Metrics.counter(ScorePairs.STAGE, "pairs");
  private final Counter batches = Metrics.counter(ScorePairs.STAGE, "batches");
  private final Counter retried = Metrics.counter(ScorePairs.STAGE, "retried_batches");
  private final Counter errors = Metrics.counter(ScorePairs.STAGE, ScoreReasons.SCORE_ERROR);
  private final Distribution batchSize = Metrics.distribution(ScorePairs.STAGE, "batch_size");
  private final Distribution batchMillis = Metrics.distribution(ScorePairs.STAGE, "batch_millis");
  private final Distribution pairsPerSecond =
      Metrics.distribution(ScorePairs.STAGE, "pairs_per_second");
  private transient PairScorer scorer;

  ScoreBatchFn(
      ScoringConfig config,
      PairAccess<T> access,
      TupleTag<T> scoredTag,
      TupleTag<Reject> rejectTag) {
    this.config = config;
    this.access = access;
    this.scoredTag = scoredTag;
    this.rejectTag = rejectTag;
  }

  @Setup
  public void setup() throws Exception {
    scorer = PairScorer.open(SharedBundles.get(config.bundle(), config.device(), config.threads()));
  }

  @ProcessElement
  public void process(@Element KV<Integer, Iterable<T>> batch, MultiOutputReceiver out) {
    long start = System.nanoTime();
    List<T> records = new ArrayList<>();
    List<PairScorer.Pair> inputs = new ArrayList<>();
    for (T record : batch.getValue()) {
      try {
        inputs.add(
            new PairScorer.Pair(
                scorer.preprocess(ImageCodec.decodeRgb(access.image(record))),
                access.caption(record)));
        records.add(record);
      } catch (Exception e) {
        reject(record, "image cannot be prepared for the model: " + e.getMessage(), out);
      }
    }
    if (records.isEmpty()) {
      return;
    }
    List<PairScores> scores;
    try {
      scores = scorer.score(inputs, config.filipTopFraction());
    } catch (Exception batchFailure) {
      retried.inc();
      scores = new ArrayList<>();
      for (PairScorer.Pair pair : inputs) {
        try {
          scores.add(scorer.score(List.of(pair), config.filipTopFraction()).get(0));
        } catch (Exception e) {
          scores.add(null);
          String detail = e.getClass().getSimpleName() + ": " + e.getMessage();
          reject(records.get(scores.size() - 1), detail, out);
        }
      }
    }
    for (int i = 0; i < records.size(); i++) {
      PairScores s = scores.get(i);
      if (s == null) {
        continue;
      }
      if (!Double.isFinite(s.clip()) || !Double.isFinite(s.filip())) {
        reject(records.get(i), "the model gave a non-finite score: " + s, out);
        continue;
      }
      out.get(scoredTag).output(access.withScores(records.get(i), s));
    }
    long millis = Math.max(1, (System.nanoTime() - start) / 1_000_000);
    pairs.inc(records.size());
    batches.inc();
    batchSize.update(records.size());
    batchMillis.update(millis);
    pairsPerSecond.update(records.size() * 1000L / millis);
  }

  private void reject(T record, String detail, MultiOutputReceiver out) {
    errors.inc();
    out.get(rejectTag)
        .output(
            Rejects.of(
                access.sampleId(record),
                access.source(record),
                ScorePairs.STAGE,
                ScoreReasons.SCORE_ERROR,
                detail));
  }

  @Teardown
  public void teardown() {
    if (scorer != null) {
      scorer.close();
    }
  }
}
