package dev.corpusforge.filters.text;

import static dev.corpusforge.filters.text.TextReasons.*;

import dev.corpusforge.core.Verdict;
import java.io.Serializable;
import java.util.regex.Pattern;

/**
 * Rules on a cleaned caption, in this order: invalid encoding, empty, too long, file-name-like, no
 * letters, too short. DataComp's basic rule keeps captions of more than 2 words and more than 5
 * characters, i.e. {@code minWords = 3}, {@code minChars = 6}. A value ≤ 0 turns a rule off.
 *
 * @param minWords fewest white-space separated words
 * @param minChars fewest characters (code points)
 * @param maxChars most characters (code points)
 * @param rejectFilenameLike drop captions that look like file names, hashes or bare numbers
 */
public record TextRules(int minWords, int minChars, int maxChars, boolean rejectFilenameLike)
    implements Serializable {
  public static final int DEFAULT_MIN_WORDS = 3;
  public static final int DEFAULT_MIN_CHARS = 6;
  public static final int DEFAULT_MAX_CHARS = 1000;

  private static final String IMAGE_EXT = "(?:jpe?g|png|gif|webp|bmp|tiff?|svg|heic|avif)";

  /**
   * File names: up to five words ending in an image extension ({@code IMG_0001.JPG}, {@code img
   * 0.jpg}), or a camera/scanner prefix and a counter ({@code DSC01234}, {@code image 12}).
   */
  private static final Pattern FILE_NAME =
      Pattern.compile(
          "(?i)^(?:(?:\\S+\\s){0,4}\\S*\\."
              + IMAGE_EXT
              + "|(?:img|image|dsc|dscn|dscf|pic|pict|photo|picture|screenshot|scan|untitled|file|frame)[\\s_.-]*\\d+)$");

  /** Hex digests and UUIDs. */
  private static final Pattern HASH =
      Pattern.compile(
          "(?i)^(?:[0-9a-f]{16,}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$");

  /** Bare numbers, dates and counters: digits with separators only. */
  private static final Pattern NUMBER = Pattern.compile("^[\\d\\s.,:/#_+-]+$");

  private static final Pattern LETTER = Pattern.compile("\\p{L}");
  private static final Pattern SPACE = Pattern.compile("\\s+");

  public static TextRules defaults() {
    return new TextRules(DEFAULT_MIN_WORDS, DEFAULT_MIN_CHARS, DEFAULT_MAX_CHARS, true);
  }

  /** Judges a caption already passed through {@link CaptionCleaner}. */
  public Verdict check(String caption) {
    if (caption == null) {
      return Verdict.drop(CAPTION_MISSING, "no caption");
    }
    if (caption.indexOf('\uFFFD') >= 0) {
      return Verdict.drop(CAPTION_INVALID_ENCODING, "caption is not valid UTF-8 (or holds U+FFFD)");
    }
    if (caption.isEmpty()) {
      return Verdict.drop(CAPTION_EMPTY, "empty after clean-up");
    }
    int chars = caption.codePointCount(0, caption.length());
    if (maxChars > 0 && chars > maxChars) {
      return Verdict.drop(CAPTION_TOO_LONG, chars + " characters > max " + maxChars);
    }
    if (rejectFilenameLike && isFilenameLike(caption)) {
      return Verdict.drop(CAPTION_FILENAME_LIKE, quote(caption));
    }
    if (!LETTER.matcher(caption).find()) {
      return Verdict.drop(CAPTION_NO_LETTERS, quote(caption));
    }
    int words = SPACE.split(caption).length;
    if (minWords > 0 && words < minWords) {
      return Verdict.drop(CAPTION_TOO_SHORT, words + " words < min " + minWords);
    }
    if (minChars > 0 && chars < minChars) {
      return Verdict.drop(CAPTION_TOO_SHORT, chars + " characters < min " + minChars);
    }
    return Verdict.keep();
  }

  static boolean isFilenameLike(String caption) {
    return FILE_NAME.matcher(caption).matches()
        || HASH.matcher(caption).matches()
        || NUMBER.matcher(caption).matches();
  }

  private static String quote(String caption) {
    return caption.length() <= 80 ? "'" + caption + "'" : "'" + caption.substring(0, 80) + "…'";
  }
}
