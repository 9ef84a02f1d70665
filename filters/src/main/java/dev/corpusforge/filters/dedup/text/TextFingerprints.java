package dev.corpusforge.filters.dedup.text;

import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;

/** What a document's duplicates are found by: the hash of its normalised text, its MinHash. */
public final class TextFingerprints {
  private final TextDedupSettings settings;
  private final MinHash minHash;

  public TextFingerprints(TextDedupSettings settings) {
    this.settings = settings;
    this.minHash = settings.minHash() == null ? null : new MinHash(settings.minHash());
  }

  /** SHA-256 of the normalised text, hex; null without exact dedup. */
  public String exact(String text) {
    return settings.exact()
        ? Hashing.sha256()
            .hashString(DocumentText.normalised(text), StandardCharsets.UTF_8)
            .toString()
        : null;
  }

  /** The MinHash signature; null without near dedup or when the text has no word. */
  public long[] minHash(String text) {
    return minHash == null ? null : minHash.signature(text);
  }
}
