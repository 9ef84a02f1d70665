package dev.corpusforge.scorers.beam;

import dev.corpusforge.core.BatchStep;
import dev.corpusforge.core.Outcome;
import dev.corpusforge.core.cache.CacheSpec;
import dev.corpusforge.filters.image.ImageCodec;
import dev.corpusforge.scorers.PairScorer;
import dev.corpusforge.scorers.PairScores;
import dev.corpusforge.scorers.SharedBundles;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Scores one batch of pairs with one forward pass per encoder. The bundle is loaded once per worker
 * JVM ({@link SharedBundles}); each instance (one per thread) has its own predictors. A pair whose
 * image cannot be prepared for the model is dropped before the batch runs; a pair the model fails
 * on alone, or gives a non-finite score or embedding component, is {@code score_error}. With a run
 * cache, a pair scored before with the same bundle and settings is not scored again ({@link
 * ScoreCache}).
 */
final class ScoreBatch<T> implements BatchStep<T, T> {
  private final ScoringConfig config;
  private final PairAccess<T> access;
  private final CacheSpec cacheSpec;
  private transient PairScorer scorer;
  private transient ScoreCache cache;

  ScoreBatch(ScoringConfig config, PairAccess<T> access, CacheSpec cacheSpec) {
    this.config = config;
    this.access = access;
    this.cacheSpec = cacheSpec;
  }

  @Override
  public void setup() throws Exception {
    scorer = PairScorer.open(SharedBundles.get(config.bundle(), config.device(), config.threads()));
    cache = ScoreCache.open(cacheSpec, config);
  }

  @Override
  public List<Outcome<T>> apply(List<T> batch) throws Exception {
    @SuppressWarnings("unchecked")
    Outcome<T>[] outcomes = new Outcome[batch.size()];
    List<Integer> prepared = new ArrayList<>();
    List<PairScorer.Pair> inputs = new ArrayList<>();
    String[] keys = new String[batch.size()];
    for (int i = 0; i < batch.size(); i++) {
      T record = batch.get(i);
      keys[i] = cache == null ? null : cache.key(access.image(record), access.caption(record));
      PairScores cached = keys[i] == null ? null : cache.get(keys[i]);
      if (cached != null) {
        outcomes[i] = Outcome.keep(access.withScores(record, cached));
        continue;
      }
      try {
        inputs.add(
            new PairScorer.Pair(
                scorer.preprocess(ImageCodec.decodeRgb(access.image(record))),
                access.caption(record)));
        prepared.add(i);
      } catch (Exception e) {
        outcomes[i] = scoreError("image cannot be prepared for the model: " + e.getMessage());
      }
    }
    if (!inputs.isEmpty()) {
      List<PairScores> scores =
          scorer.score(inputs, config.filipTopFraction(), config.embeddings());
      for (int j = 0; j < prepared.size(); j++) {
        int i = prepared.get(j);
        PairScores s = scores.get(j);
        outcomes[i] =
            s.finite()
                ? Outcome.keep(access.withScores(batch.get(i), s))
                : scoreError("the model gave a non-finite score or embedding: " + s.describe());
        if (cache != null && s.finite()) {
          cache.put(keys[i], s);
        }
      }
    }
    if (cache != null) {
      cache.report();
    }
    return Arrays.asList(outcomes);
  }

  @Override
  public Outcome<T> failedAlone(T record, Throwable error) {
    return scoreError(error.getClass().getSimpleName() + ": " + error.getMessage());
  }

  private static <T> Outcome<T> scoreError(String detail) {
    return Outcome.drop(ScoreReasons.SCORE_ERROR, detail);
  }

  @Override
  public void teardown() {
    if (scorer != null) {
      scorer.close();
    }
  }
}
