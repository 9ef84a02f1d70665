package dev.corpusforge.pipelines.decompose;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corpusforge.core.Outcome;
import dev.corpusforge.core.Step;
import dev.corpusforge.core.Tally;
import dev.corpusforge.core.output.StatsLines;
import dev.corpusforge.filters.dedup.DecideOnKeys;
import dev.corpusforge.filters.dedup.DedupReasons;
import dev.corpusforge.filters.dedup.ExactDuplicateFilter;
import dev.corpusforge.filters.dedup.text.MinHash;
import dev.corpusforge.filters.dedup.text.MinHashDuplicateFilter;
import dev.corpusforge.filters.dedup.text.TextDedupSettings;
import dev.corpusforge.filters.dedup.text.TextFingerprints;
import dev.corpusforge.schemas.TextDocument;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.TreeMap;
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

  /**
   * Exact, then near duplicates, decided on the documents without their text; what they remove is
   * counted by {@code removed}.
   */
  static DecideOnKeys<TextDocument> decisions(TextDedupSettings settings, RemovedTokens removed) {
    DecideOnKeys<TextDocument> dedup =
        DecideOnKeys.of(Fingerprint::withoutText, SplitDocument.IDENTITY).countingDropped(removed);
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

  /**
   * The manifest's {@code near_duplicates} section from the run's summed tallies: clusters by size
   * (survivor included), their count and the documents they removed; null when there is none.
   */
  static String clustersLine(Tally sum) {
    Map<Integer, Long> bySize = new TreeMap<>();
    sum.counts()
        .forEach(
            (name, n) -> {
              if (name.startsWith(MinHashDuplicateFilter.CLUSTERS_OF_SIZE)) {
                bySize.put(
                    Integer.parseInt(
                        name.substring(MinHashDuplicateFilter.CLUSTERS_OF_SIZE.length())),
                    n);
              }
            });
    if (bySize.isEmpty()) {
      return null;
    }
    ObjectNode o = StatsLines.JSON.createObjectNode();
    ObjectNode sizes = StatsLines.JSON.createObjectNode();
    long clusters = 0;
    long removed = 0;
    for (Map.Entry<Integer, Long> e : bySize.entrySet()) {
      sizes.put(Integer.toString(e.getKey()), e.getValue());
      clusters += e.getValue();
      removed += (e.getKey() - 1L) * e.getValue();
    }
    o.put("clusters", clusters).put("documents_removed", removed).set("clusters_by_size", sizes);
    return StatsLines.manifest("near_duplicates", o);
  }
}
