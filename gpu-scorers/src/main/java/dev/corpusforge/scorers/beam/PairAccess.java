package dev.corpusforge.scorers.beam;

import dev.corpusforge.core.RecordIdentity;
import dev.corpusforge.scorers.PairScores;

/**
 * How the scoring transform reads an image and a caption from a record and writes the scores back.
 */
public interface PairAccess<T> extends RecordIdentity<T> {
  /** The encoded image (JPEG, PNG, …). */
  byte[] image(T record);

  String caption(T record);

  /** A copy of {@code record} carrying {@code scores}. */
  T withScores(T record, PairScores scores);
}
