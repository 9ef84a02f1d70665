package dev.corpusforge.core.read;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * A Parquet {@link InputFile} over any Beam file system (local, s3://), so row readers need no
 * Hadoop paths.
 */
public final class BeamInputFile implements InputFile {
  private final ResourceId file;
  private final long length;

  public BeamInputFile(ResourceId file, long length) {
    this.file = file;
    this.length = length;
  }

  @Override
  public long getLength() {
    return length;
  }

  @Override
  public SeekableInputStream newStream() throws IOException {
    ReadableByteChannel channel = FileSystems.open(file);
    if (!(channel instanceof SeekableByteChannel seekable)) {
      channel.close();
      throw new IOException("file system of " + file + " cannot seek, which Parquet needs");
    }
    return new DelegatingSeekableInputStream(Channels.newInputStream(seekable)) {
      @Override
      public long getPos() throws IOException {
        return seekable.position();
      }

      @Override
      public void seek(long newPos) throws IOException {
        seekable.position(newPos);
      }

      @Override
      public int read(ByteBuffer buf) throws IOException {
        return seekable.read(buf);
      }
    };
  }
}
