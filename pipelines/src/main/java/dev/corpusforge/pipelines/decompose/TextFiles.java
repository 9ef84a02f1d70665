package dev.corpusforge.pipelines.decompose;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.io.FileSystems;

/**
 * Plain-text documents on any Beam file system, read as strict UTF-8: malformed bytes throw {@link
 * CharacterCodingException} instead of turning into U+FFFD.
 */
final class TextFiles {
  private static final int BUFFER = 1 << 16;

  private TextFiles() {}

  static Reader open(String file) throws IOException {
    return new BufferedReader(Channels.newReader(channel(file), strictUtf8(), BUFFER), BUFFER);
  }

  private static ReadableByteChannel channel(String file) throws IOException {
    return FileSystems.open(FileSystems.matchNewResource(file, false));
  }

  private static CharsetDecoder strictUtf8() {
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
  }

  /** The file's text when it holds at most {@code limit} chars; null when it is longer. */
  static String readUpTo(String file, int limit) throws IOException {
    byte[] head;
    try (InputStream in = Channels.newInputStream(channel(file))) {
      head = in.readNBytes(limit == Integer.MAX_VALUE ? limit : limit + 1);
    }
    if (head.length <= limit) {
      // no more chars than bytes: the whole file, decoded in one call
      return strictUtf8().decode(ByteBuffer.wrap(head)).toString();
    }
    StringBuilder text = new StringBuilder();
    char[] buffer = new char[BUFFER];
    try (Reader reader = open(file)) {
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
  static boolean hasText(String file) throws IOException {
    boolean text = false;
    char[] buffer = new char[BUFFER];
    try (Reader reader = open(file)) {
      for (int n; (n = reader.read(buffer)) > 0; ) {
        for (int i = 0; i < n && !text; i++) {
          text = !Character.isWhitespace(buffer[i]);
        }
      }
    }
    return text;
  }
}
