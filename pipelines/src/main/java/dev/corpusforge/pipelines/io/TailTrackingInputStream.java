package dev.corpusforge.pipelines.io;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Remembers how many bytes were read and the last 512 of them, so a tar reader can tell a proper
 * end of archive (a zero block on a block boundary) from a file cut short: commons-compress reports
 * both as "no more entries".
 */
final class TailTrackingInputStream extends FilterInputStream {
  private static final int BLOCK = 512;
  private final byte[] tail = new byte[BLOCK];
  private long total;

  TailTrackingInputStream(InputStream in) {
    super(in);
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      remember((byte) b);
    }
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    int n = super.read(buffer, offset, length);
    for (int i = 0; i < n; i++) {
      remember(buffer[offset + i]);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = 0;
    byte[] buffer = new byte[8192];
    while (skipped < n) {
      int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
      if (r < 0) {
        break;
      }
      skipped += r;
    }
    return skipped;
  }

  private void remember(byte b) {
    tail[(int) (total % BLOCK)] = b;
    total++;
  }

  /** True when what was read so far ends on a block boundary with an all-zero block. */
  boolean endedOnZeroBlock() {
    if (total == 0 || total % BLOCK != 0) {
      return false;
    }
    for (byte b : tail) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }
}
