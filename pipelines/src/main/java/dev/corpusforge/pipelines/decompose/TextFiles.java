package dev.corpusforge.pipelines.decompose;

import dev.corpusforge.core.read.Decompression;
import dev.corpusforge.schemas.TextDocument;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.io.FileSystems;

/**
 * Plain-text documents on any Beam file system, compressed or not ({@link Decompression}: {@code
 * page.txt.gz} is decompressed as it is read, up to {@code maxBytes}), read as strict UTF-8:
 * malformed bytes throw {@link CharacterCodingException} instead of turning into U+FFFD.
 */
final class TextFiles {
  private static final int BUFFER = 1 << 16;

  private TextFiles() {}

  static Reader open(String file, long maxBytes) throws IOException {
    return new BufferedReader(new InputStreamReader(bytes(file, maxBytes), strictUtf8()), BUFFER);
  }

  private static InputStream bytes(String file, long maxBytes) throws IOException {
    return Decompression.open(FileSystems.matchNewResource(file, false), maxBytes);
  }

  private static CharsetDecoder strictUtf8() {
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
  }

  /**
   * A document's whole text for a rule that looks at all of it: a row's text, or its file's read up
   * to {@code maxChars}; null when the file is longer or cannot be read (the split stage says why).
   */
  static String wholeText(TextDocument doc, int maxChars, long maxBytes) {
    String text = doc.getText();
    if (text != null) {
      return text.length() > maxChars ? null : text;
    }
    try {
      return readUpTo(doc.getFile(), maxChars, maxBytes);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** The file's text when it holds at most {@code limit} chars; null when it is longer. */
  static String readUpTo(String file, int limit, long maxBytes) throws IOException {
    byte[] head;
    try (InputStream in = bytes(file, maxBytes)) {
      head = in.readNBytes(limit == Integer.MAX_VALUE ? limit : limit + 1);
    }
    if (head.length <= limit) {
      // no more chars than bytes: the whole file, decoded in one call
      return strictUtf8().decode(ByteBuffer.wrap(head)).toString();
    }
    StringBuilder text = new StringBuilder();
    char[] buffer = new char[BUFFER];
    try (Reader reader = open(file, maxBytes)) {
      for (int n; (n = reader.read(buffer)) > 0; ) {
        text.append(buffer, 0, n);
        if (text.length() > limit) {
          return null;
        }
      }
    }
    return text.toString();
  }

  /**
   * Whether the file holds anything but white space; reads all of it, so bad UTF-8 anywhere throws.
   */
  static boolean hasText(String file, long maxBytes) throws IOException {
    boolean text = false;
    char[] buffer = new char[BUFFER];
    try (Reader reader = open(file, maxBytes)) {
      for (int n; (n = reader.read(buffer)) > 0; ) {
        for (int i = 0; i < n && !text; i++) {
          text = !Character.isWhitespace(buffer[i]);
        }
      }
    }
    return text;
  }
}
