package dev.corpusforge.pipelines.graphsummary;

import dev.corpusforge.annotators.decompose.DocumentTokenizer;

/** What every summary must pass, whoever wrote it: not empty, within --max-summary-tokens. */
final class SummaryCheck {
  private SummaryCheck() {}

  /** Null when the summary passes; otherwise {reason, detail}. */
  static String[] problem(String summary, DocumentTokenizer tokenizer, int maxTokens) {
    if (summary == null || summary.isBlank()) {
      return new String[] {GraphReasons.SUMMARY_EMPTY, "the summariser returned no text"};
    }
    int tokens = tokenizer.encode(summary).length - 1; // without the end-of-text
    if (tokens > maxTokens) {
      return new String[] {GraphReasons.SUMMARY_TOO_LONG, tokens + " tokens, at most " + maxTokens};
    }
    return null;
  }
}
