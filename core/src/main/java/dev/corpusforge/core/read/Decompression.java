package dev.corpusforge.core.read;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.util.Locale;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * Compressed input files, known by their last extension ({@code .gz}, {@code .zst}, {@code .bz2},
 * {@code .deflate}, as Beam's {@link Compression} detects them) and read streamed through Beam's
 * codecs (commons-compress and zstd-jni underneath): {@code docs.jsonl.zst} is a JSON-lines file,
 * {@code page.txt.gz} a plain-text file. A file decompressing past its cap stops with {@link
 * TooLarge}, so a small file that expands without end (a decompression bomb) costs the reader at
 * most the cap; a truncated or corrupt file fails with the codec's {@link IOException} once the
 * bytes before the damage are read.
 */
public final class Decompression {
  /** The default cap on one file's decompressed bytes: 64 GiB. */
  public static final long DEFAULT_MAX_BYTES = 64L << 30;

  private Decompression() {}

  /** The codec of {@code path}, by its extension; {@link Compression#UNCOMPRESSED} for none. */
  public static Compression of(String path) {
    return Compression.detect(path.toLowerCase(Locale.ROOT));
  }

  public static boolean isCompressed(String path) {
    return of(path) != Compression.UNCOMPRESSED;
  }

  /** {@code path} without its compression extension ({@code a.jsonl.gz} → {@code a.jsonl}). */
  public static String withoutExtension(String path) {
    if (!isCompressed(path)) {
      return path;
    }
    int dot = path.lastIndexOf('.');
    int slash = path.lastIndexOf('/');
    return dot > slash + 1 ? path.substring(0, dot) : path;
  }

  /**
   * The file's content, decompressed when its name says it is compressed; reading past {@code
   * maxBytes} decompressed bytes throws {@link TooLarge}.
   */
  public static InputStream open(ResourceId file, long maxBytes) throws IOException {
    Compression codec = of(file.toString());
    if (codec == Compression.UNCOMPRESSED) {
      return Channels.newInputStream(FileSystems.open(file));
    }
    return new Capped(
        Channels.newInputStream(codec.readDecompressed(FileSystems.open(file))),
        maxBytes,
        file.toString());
  }

  /** A compressed file that decompresses past its cap. */
  public static final class TooLarge extends IOException {
    TooLarge(String file, long maxBytes) {
      super(file + " decompresses to more than " + maxBytes + " bytes (--max-decompressed-bytes)");
    }
  }

  /** Counts what is read and throws {@link TooLarge} past {@code max} bytes. */
  private static final class Capped extends FilterInputStream {
    private final long max;
    private final String file;
    private long read;

    Capped(InputStream in, long max, String file) {
      super(in);
      this.max = max;
      this.file = file;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(n);
      count(skipped);
      return skipped;
    }

    private void count(long n) throws TooLarge {
      read += n;
      if (read > max) {
        throw new TooLarge(file, max);
      }
    }
  }
}
