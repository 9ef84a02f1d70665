package dev.corpusforge.pipelines.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;

/** Reading whole small files (images, captions) through Beam's file systems, with a cap. */
public final class Blobs {
  private Blobs() {}

  /** The file's bytes, or null when it holds more than {@code max} bytes. */
  public static byte[] read(ResourceId file, long max) throws IOException {
    try (ReadableByteChannel channel = FileSystems.open(file);
        InputStream in = Channels.newInputStream(channel)) {
      return readCapped(in, max);
    }
  }

  /** Reads a stream to its end; null when it holds more than {@code max} bytes. */
  public static byte[] readCapped(InputStream in, long max) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[64 * 1024];
    long total = 0;
    int n;
    while ((n = in.read(buffer)) != -1) {
      total += n;
      if (total > max) {
        return null;
      }
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }

  /**
   * Decodes caption bytes as UTF-8, replacing malformed sequences with U+FFFD (which the text rules
   * reject as invalid encoding) and dropping a leading byte-order mark.
   */
  public static String caption(byte[] bytes) {
    String s = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(bytes)).toString();
    return s.startsWith("\uFEFF") ? s.substring(1) : s;
  }
}
