package dev.corpusforge.pipelines.decompose;

import dev.corpusforge.core.Outcome;
import dev.corpusforge.core.Step;
import dev.corpusforge.filters.decontamination.NGramIndex;
import dev.corpusforge.schemas.TextDocument;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * {@code --decontaminate}: a document sharing a word n-gram ({@code --decont-ngram 13}) with the
 * evaluation texts is {@code contaminated} (stage {@code decontaminate}), the n-gram and its
 * evaluation source in the detail. A text file over the size limit, or unreadable here, goes on
 * unchecked ({@code decontaminate/not_checked}).
 */
final class DecontaminateStep implements Step<TextDocument, TextDocument> {
  static final String STAGE = "decontaminate";
  static final String CONTAMINATED = "contaminated";

  private final NGramIndex index;
  private final int maxChars;
  private final long maxDecompressedBytes;
  private final RemovedTokens removed;
  private final Counter notChecked = Metrics.counter(STAGE, "not_checked");

  DecontaminateStep(
      NGramIndex index, int maxChars, long maxDecompressedBytes, RemovedTokens removed) {
    this.index = index;
    this.maxChars = maxChars;
    this.maxDecompressedBytes = maxDecompressedBytes;
    this.removed = removed;
  }

  @Override
  public void setup() throws java.io.IOException {
    removed.setup();
  }

  @Override
  public void teardown() {
    removed.teardown();
  }

  @Override
  public Outcome<TextDocument> apply(TextDocument doc) {
    String text = TextFiles.wholeText(doc, maxChars, maxDecompressedBytes);
    if (text == null) {
      notChecked.inc();
      return Outcome.keep(doc);
    }
    NGramIndex.Match match = index.firstMatch(text);
    return match == null
        ? Outcome.keep(doc)
        : Outcome.<TextDocument>drop(
                CONTAMINATED,
                "shares the "
                    + index.n()
                    + "-gram \""
                    + match.nGram()
                    + "\" with "
                    + match.source())
            .counting(removed.of(STAGE, CONTAMINATED, text));
  }
}
