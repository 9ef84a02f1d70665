package dev.corpusforge.pipelines.decompose;

import dev.corpusforge.core.Outcome;
import dev.corpusforge.core.Step;
import dev.corpusforge.filters.dedup.DecideOnKeys;
import dev.corpusforge.filters.dedup.DedupReasons;
import dev.corpusforge.filters.dedup.ExactDuplicateFilter;
import dev.corpusforge.filters.dedup.text.MinHash;
import dev.corpusforge.filters.dedup.text.MinHashDuplicateFilter;
import dev.corpusforge.filters.dedup.text.TextDedupSettings;
import dev.corpusforge.filters.dedup.text.TextFingerprints;
import dev.corpusforge.schemas.TextDocument;
import java.nio.ByteBuffer;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * A document's fingerprints for dedup ({@link TextFingerprints}): the hash of its normalised text
 * and its MinHash signature, from a row's text or the file's (decompressed, read whole up to {@link
 * TextDedupSettings#maxChars}). A document that cannot be read here, or is longer, goes on without
 * them (counted under {@code dedup/not_fingerprinted}): the split stage reports what is wrong with
 * it.
 */
final class Fingerprint implements Step<TextDocument, TextDocument> {
  private final TextDedupSettings settings;
  private final long maxDecompressedBytes;
  private final Counter notFingerprinted =
      Metrics.counter(ExactDuplicateFilter.STAGE, "not_fingerprinted");
  private transient TextFingerprints fingerprints;

  Fingerprint(TextDedupSettings settings, long maxDecompressedBytes) {
    this.settings = settings;
    this.maxDecompressedBytes = maxDecompressedBytes;
  }

  @Override
  public void setup() {
    fingerprints = new TextFingerprints(settings);
  }

  @Override
  public Outcome<TextDocument> apply(TextDocument doc) {
    String text = TextFiles.wholeText(doc, settings.maxChars(), maxDecompressedBytes);
    if (text == null) {
      notFingerprinted.inc();
      return Outcome.keep(doc);
    }
    long[] signature = fingerprints.minHash(text);
    return Outcome.keep(
        TextDocument.newBuilder(doc)
            .setTextHash(fingerprints.exact(text))
            .setMinhash(signature == null ? null : ByteBuffer.wrap(MinHash.toBytes(signature)))
            .build());
  }

  /** Exact, then near duplicates, decided on the documents without their text. */
  static DecideOnKeys<TextDocument> decisions(TextDedupSettings settings) {
    DecideOnKeys<TextDocument> dedup =
        DecideOnKeys.of(Fingerprint::withoutText, SplitDocument.IDENTITY);
    if (settings.exact()) {
      dedup =
          dedup.then(
              "Exact duplicates",
              ExactDuplicateFilter.of(TextDocument::getTextHash, SplitDocument.IDENTITY)
                  .as(DedupReasons.DUP_EXACT, "same normalised text as"));
    }
    if (settings.minHash() != null) {
      dedup =
          dedup.then(
              "Near duplicates",
              MinHashDuplicateFilter.of(
                  Fingerprint::signature, SplitDocument.IDENTITY, settings.minHash()));
    }
    return dedup;
  }

  static TextDocument withoutText(TextDocument doc) {
    return TextDocument.newBuilder(doc).setText(null).build();
  }

  static long[] signature(TextDocument doc) {
    return doc.getMinhash() == null ? null : MinHash.fromBytes(doc.getMinhash());
  }
}
