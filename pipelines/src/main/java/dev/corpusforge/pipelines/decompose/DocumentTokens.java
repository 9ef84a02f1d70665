package dev.corpusforge.pipelines.decompose;

import java.io.Serializable;

/**
 * Token counts of a run, from its summed tallies: every token read ends in a chunk or is dropped
 * with a reason, so {@code tokensIn = tokensOut + droppedTail + droppedTooShort}.
 *
 * @param documents documents tokenised
 * @param tokensIn tokens of those documents, end-of-text included
 * @param tokensOut tokens in chunks
 * @param droppedTail tokens after a document's last chunk ({@code tail_below_min})
 * @param droppedTooShort tokens of documents too short for any chunk ({@code too_short})
 */
public record DocumentTokens(
    long documents, long tokensIn, long tokensOut, long droppedTail, long droppedTooShort)
    implements Serializable {
  public boolean balanced() {
    return tokensIn == tokensOut + droppedTail + droppedTooShort;
  }
}
