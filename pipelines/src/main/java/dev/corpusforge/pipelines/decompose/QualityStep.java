package dev.corpusforge.pipelines.decompose;

import dev.corpusforge.core.Outcome;
import dev.corpusforge.core.Step;
import dev.corpusforge.core.Verdict;
import dev.corpusforge.filters.quality.C4Quality;
import dev.corpusforge.filters.quality.GopherQuality;
import dev.corpusforge.filters.quality.GopherRepetition;
import dev.corpusforge.filters.quality.QualityRules;
import dev.corpusforge.schemas.TextDocument;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * The quality rules of {@code --quality} on a document, in FineWeb's order: Gopher repetition,
 * Gopher quality, C4. A rule's reject carries its DataTrove name (stage {@code quality}); C4 keeps
 * a document as its kept lines. A text file is read whole up to {@code maxChars}; one that cannot
 * be read here or is longer goes on unchecked ({@code quality/not_checked}), the split stage
 * reports what is wrong with it.
 */
final class QualityStep implements Step<TextDocument, TextDocument> {
  static final String STAGE = "quality";

  private final QualityRules rules;
  private final int maxChars;
  private final long maxDecompressedBytes;
  private final Counter notChecked = Metrics.counter(STAGE, "not_checked");
  private final Counter c4LinesRemoved = Metrics.counter(STAGE, "c4_lines_removed");
  private final Counter c4CharsRemoved = Metrics.counter(STAGE, "c4_chars_removed");
  private transient GopherRepetition repetition;
  private transient GopherQuality gopher;
  private transient C4Quality c4;

  QualityStep(QualityRules rules, int maxChars, long maxDecompressedBytes) {
    this.rules = rules;
    this.maxChars = maxChars;
    this.maxDecompressedBytes = maxDecompressedBytes;
  }

  @Override
  public void setup() {
    repetition = rules.repetition() == null ? null : new GopherRepetition(rules.repetition());
    gopher = rules.gopher() == null ? null : new GopherQuality(rules.gopher());
    c4 = rules.c4() == null ? null : new C4Quality(rules.c4());
  }

  @Override
  public Outcome<TextDocument> apply(TextDocument doc) {
    String text = TextFiles.wholeText(doc, maxChars, maxDecompressedBytes);
    if (text == null) {
      notChecked.inc();
      return Outcome.keep(doc);
    }
    if (repetition != null) {
      Verdict v = repetition.check(text);
      if (!v.kept()) {
        return v.toOutcome(doc);
      }
    }
    if (gopher != null) {
      Verdict v = gopher.check(text);
      if (!v.kept()) {
        return v.toOutcome(doc);
      }
    }
    if (c4 == null) {
      return Outcome.keep(doc);
    }
    C4Quality.Result lines = c4.check(text);
    if (!lines.kept()) {
      return Outcome.drop(lines.reason(), lines.detail());
    }
    if (lines.linesRemoved() == 0) {
      return Outcome.keep(doc);
    }
    c4LinesRemoved.inc(lines.linesRemoved());
    c4CharsRemoved.inc(text.length() - lines.text().length());
    return Outcome.keep(TextDocument.newBuilder(doc).setText(lines.text()).setFile(null).build());
  }
}
