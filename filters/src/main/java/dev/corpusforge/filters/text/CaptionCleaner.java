package dev.corpusforge.filters.text;

import java.io.Serializable;
import java.text.Normalizer;
import java.util.regex.Pattern;
import org.apache.commons.text.StringEscapeUtils;

/**
 * Cleans a caption before any rule looks at it: HTML entities decoded ({@code &amp;} → {@code &}),
 * Unicode normalised (NFC by default), control and format characters removed, runs of white space
 * collapsed to one space, ends trimmed. Invalid UTF-8 has already become U+FFFD when the caption
 * was read; the text rules reject it.
 */
public final class CaptionCleaner implements Serializable {
  private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}\\p{Cf}&&[^\\t\\n\\r\\u200d]]");
  private static final Pattern SPACE = Pattern.compile("[\\s\\p{Z}]+");

  private final Normalizer.Form form;

  public CaptionCleaner(Normalizer.Form form) {
    this.form = form;
  }

  public static CaptionCleaner defaults() {
    return new CaptionCleaner(Normalizer.Form.NFC);
  }

  public Normalizer.Form form() {
    return form;
  }

  public String clean(String caption) {
    if (caption == null) {
      return null;
    }
    String s = StringEscapeUtils.unescapeHtml4(caption);
    s = Normalizer.normalize(s, form);
    s = CONTROL.matcher(s).replaceAll("");
    s = SPACE.matcher(s).replaceAll(" ");
    return s.strip();
  }
}
