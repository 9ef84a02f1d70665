package dev.corpusforge.scorers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which scores the scoring step lets through: a broken model output is never written. */
class PairScoresTest {
  @Test
  void aNonFiniteScoreOrEmbeddingComponentIsNotFinite() {
    PairScores scores = PairScores.rounded(0.31, 0.2, 0.4, 0.3);
    assertTrue(scores.finite());
    float[] unit = {0.6f, 0.8f};
    assertTrue(scores.withEmbeddings(unit, unit).finite());
    assertArrayEquals(unit, scores.withEmbeddings(unit, unit).imageEmbedding());
    assertFalse(scores.withEmbeddings(new float[] {Float.NaN, Float.NaN}, unit).finite());
    assertFalse(scores.withEmbeddings(unit, new float[] {0.6f, Float.POSITIVE_INFINITY}).finite());
    // a reject's detail is the same for the same scores, whatever arrays the embeddings are in
    PairScores broken = scores.withEmbeddings(new float[] {Float.NaN, 0f}, unit);
    assertEquals(
        broken.describe(), scores.withEmbeddings(new float[] {Float.NaN, 0f}, unit).describe());
    assertEquals("clip 0.31, filip 0.3, an embedding not finite", broken.describe());
    assertEquals("clip 0.31, filip 0.3", scores.withEmbeddings(unit, unit).describe());
    assertFalse(PairScores.rounded(Double.NaN, 0.2, 0.4, 0.3).finite());
    assertFalse(PairScores.rounded(0.31, 0.2, 0.4, Double.NEGATIVE_INFINITY).finite());
  }
}
