package dev.corpusforge.scorers.beam;

import dev.corpusforge.core.RecordIdentity;
import dev.corpusforge.scorers.ScoreKind;

/** How the alignment filter reads a scored record's score and caption language. */
public interface ScoredRecords<T> extends RecordIdentity<T> {
  /** The record's score of this kind; null when it was not scored. */
  Double score(T record, ScoreKind kind);

  /** ISO 639-1 code of the caption, or null. */
  String language(T record);
}
