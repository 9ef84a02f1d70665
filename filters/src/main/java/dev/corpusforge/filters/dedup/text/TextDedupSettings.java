package dev.corpusforge.filters.dedup.text;

import java.io.Serializable;

/**
 * Which document duplicates a text pipeline removes; echoed in the manifest.
 *
 * @param exact exact duplicates of the normalised text ({@link DocumentText#normalised})
 * @param minHash near duplicates by MinHash-LSH, or null for none
 * @param maxChars documents longer than this are not fingerprinted (kept, counted): their text is
 *     held whole while it is hashed
 */
public record TextDedupSettings(boolean exact, MinHash.Settings minHash, int maxChars)
    implements Serializable {
  public static final int DEFAULT_MAX_CHARS = 64 << 20;
  public static final TextDedupSettings NONE =
      new TextDedupSettings(false, null, DEFAULT_MAX_CHARS);

  public boolean any() {
    return exact || minHash != null;
  }
}
