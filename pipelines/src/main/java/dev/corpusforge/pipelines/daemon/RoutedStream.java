package dev.corpusforge.pipelines.daemon;

import java.io.IOException;
import java.io.OutputStream;

/**
 * An output stream that writes wherever it is pointed at the moment. The daemon installs one as
 * {@code System.out} and one as {@code System.err} before any other class reads them, and points
 * them at the client of the run in progress, and back at its log between runs: code that kept a
 * reference to {@code System.out} at start-up still writes to the right place.
 */
final class RoutedStream extends OutputStream {
  private volatile OutputStream target;

  RoutedStream(OutputStream target) {
    this.target = target;
  }

  void pointAt(OutputStream next) throws IOException {
    target.flush();
    target = next;
  }

  @Override
  public void write(int b) throws IOException {
    target.write(b);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    target.write(b, off, len);
  }

  @Override
  public void flush() throws IOException {
    target.flush();
  }
}
