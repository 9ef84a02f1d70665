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
 * Gopher quality, C4. A rule's reject carries its DataTrove name (stage {@code quality}) and the
 * document's first words; C4 keeps a document as its kept lines. A text file is read whole up to
 * {@code maxChars}; one that cannot be read here or is longer goes on unchecked ({@code
 * quality/not_checked}), the split stage reports what is wrong with it. What a rule removes is
 * counted ({@link RemovedTokens}).
 */
final class QualityStep implements Step<TextDocument, TextDocument> {
  static final String STAGE = "quality";

  /** What C4 removes from a document it keeps, in the manifest's {@code removed} section. */
  static final String C4_LINES = "c4_lines";

  private final QualityRules rules;
  private final int maxChars;
  private final long maxDecompressedBytes;
  private final RemovedTokens removed;
  private final Counter notChecked = Metrics.counter(STAGE, "not_checked");
  private final Counter c4LinesRemoved = Metrics.counter(STAGE, "c4_lines_removed");
  private final Counter c4CharsRemoved = Metrics.counter(STAGE, "c4_chars_removed");
  private transient GopherRepetition repetition;
  private transient GopherQuality gopher;
  private transient C4Quality c4;

  QualityStep(QualityRules rules, int maxChars, long maxDecompressedBytes, RemovedTokens removed) {
    this.rules = rules;
    this.maxChars = maxChars;
    this.maxDecompressedBytes = maxDecompressedBytes;
    this.removed = removed;
  }

  @Override
  public void teardown() {
    removed.teardown();
  }

  @Override
  public void setup() throws java.io.IOException {
    removed.setup();
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
        return drop(v.reason(), v.detail(), text);
      }
    }
    if (gopher != null) {
      Verdict v = gopher.check(text);
      if (!v.kept()) {
        return drop(v.reason(), v.detail(), text);
      }
    }
    if (c4 == null) {
      return Outcome.keep(doc);
    }
    C4Quality.Result lines = c4.check(text);
    if (!lines.kept()) {
      return drop(lines.reason(), lines.detail(), text);
    }
    if (lines.linesRemoved() == 0) {
      return Outcome.keep(doc);
    }
    c4LinesRemoved.inc(lines.linesRemoved());
    c4CharsRemoved.inc(text.length() - lines.text().length());
    return Outcome.keep(TextDocument.newBuilder(doc).setText(lines.text()).setFile(null).build())
        .counting(removed.changed(STAGE, C4_LINES, text, lines.text()));
  }

  /** A rule's reject: its detail and how the document begins, and what it removed. */
  private Outcome<TextDocument> drop(String reason, String detail, String text) {
    return Outcome.<TextDocument>drop(reason, detail + "; begins \"" + beginning(text) + "\"")
        .counting(removed.of(STAGE, reason, text));
  }

  /** The first {@value #EXCERPT_CHARS} characters of {@code text}, white space collapsed. */
  static String beginning(String text) {
    String collapsed = cut(text, 4 * EXCERPT_CHARS).replaceAll("\\s+", " ").strip();
    return collapsed.length() <= EXCERPT_CHARS ? collapsed : cut(collapsed, EXCERPT_CHARS) + "…";
  }

  /** At most {@code n} chars of {@code s}, never half a surrogate pair. */
  private static String cut(String s, int n) {
    if (s.length() <= n) {
      return s;
    }
    return s.substring(0, Character.isHighSurrogate(s.charAt(n - 1)) ? n - 1 : n);
  }

  static final int EXCERPT_CHARS = 80;
}
