package dev.corpusforge.core.output;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes a tar shard of an export so that a reader never sees half of it: the members go to a
 * hidden temporary file next to the shard, renamed to the shard's name once complete. Members get a
 * fixed modification time, so the same content gives the same bytes.
 */
public final class TarShards {
  private TarShards() {}

  /** Fills a tar. */
  public interface Body {
    void write(TarArchiveOutputStream tar) throws IOException;
  }

  /** Writes {@code directory/name} (on any Beam file system) and returns its location. */
  public static ResourceId write(String directory, String name, Body body) throws IOException {
    ResourceId dir = FileSystems.matchNewResource(directory, true);
    ResourceId temp =
        dir.resolve("." + name + ".tmp", ResolveOptions.StandardResolveOptions.RESOLVE_FILE);
    ResourceId target = dir.resolve(name, ResolveOptions.StandardResolveOptions.RESOLVE_FILE);
    OutputStream stream = Channels.newOutputStream(FileSystems.create(temp, "application/x-tar"));
    // closing the tar closes the channel once; object stores fail on a second close
    try (TarArchiveOutputStream tar =
        new TarArchiveOutputStream(stream, StandardCharsets.UTF_8.name())) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      body.write(tar);
      tar.finish();
    }
    FileSystems.rename(
        List.of(temp), List.of(target), MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
    return target;
  }

  /** One member. */
  public static void put(TarArchiveOutputStream tar, String name, byte[] bytes) throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setSize(bytes.length);
    entry.setModTime(0);
    tar.putArchiveEntry(entry);
    tar.write(bytes);
    tar.closeArchiveEntry();
  }
}
