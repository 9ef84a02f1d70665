package dev.corpusforge.core.output;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

/**
 * A Parquet {@link OutputFile} written once, front to back, into a stream: a channel a pipeline's
 * writer was given, or a new file on any Beam file system (local, s3://).
 */
public final class StreamOutputFile implements OutputFile {
  /** Opens the stream when Parquet starts the file. */
  private interface Opener {
    OutputStream open() throws IOException;
  }

  private final Opener opener;

  private StreamOutputFile(Opener opener) {
    this.opener = opener;
  }

  /** Into a channel already open. */
  public static StreamOutputFile of(WritableByteChannel channel) {
    return new StreamOutputFile(() -> Channels.newOutputStream(channel));
  }

  /** A new file at {@code path}, created when Parquet starts it. */
  public static StreamOutputFile at(String path) {
    return new StreamOutputFile(
        () ->
            Channels.newOutputStream(
                FileSystems.create(
                    FileSystems.matchNewResource(path, false), "application/octet-stream")));
  }

  @Override
  public PositionOutputStream create(long blockSizeHint) throws IOException {
    OutputStream out = opener.open();
    return new PositionOutputStream() {
      private long position;

      @Override
      public long getPos() {
        return position;
      }

      @Override
      public void write(int b) throws IOException {
        out.write(b);
        position++;
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        position += len;
      }

      @Override
      public void flush() throws IOException {
        out.flush();
      }

      @Override
      public void close() throws IOException {
        out.close();
      }
    };
  }

  @Override
  public PositionOutputStream createOrOverwrite(long blockSizeHint) throws IOException {
    return create(blockSizeHint);
  }

  @Override
  public boolean supportsBlockSize() {
    return false;
  }

  @Override
  public long defaultBlockSize() {
    return 0;
  }
}
