package dev.corpusforge.core.read;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * What a file or a folder (local, or a prefix such as s3://…) holds at this moment, told by each
 * file's name, size and modification time. What a JVM reads once and keeps (model bundles, ground
 * truth) is kept under its location and stamp, so that a JVM outliving one run (the warm daemon, a
 * session cluster's worker) reads it again when it was changed in place.
 */
public final class SourceStamp {
  private SourceStamp() {}

  /** The stamp of the file at {@code location}. */
  public static String file(String location) throws IOException {
    if (!isRemote(location)) {
      Path path = localPath(location);
      return Files.size(path) + "@" + Files.getLastModifiedTime(path).toMillis();
    }
    MatchResult.Metadata m = FileSystems.matchSingleFileSpec(location);
    return m.sizeBytes() + "@" + m.lastModifiedMillis();
  }

  /** The stamp of the folder or prefix at {@code location}: every file under it. */
  public static String folder(String location) throws IOException {
    List<String> entries = new ArrayList<>();
    if (!isRemote(location)) {
      Path dir = localPath(location);
      if (!Files.isDirectory(dir)) {
        return "absent";
      }
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
          entries.add(
              dir.relativize(f)
                  + ":"
                  + Files.size(f)
                  + "@"
                  + Files.getLastModifiedTime(f).toMillis());
        }
      }
      return String.join(",", entries);
    }
    String prefix = location.endsWith("/") ? location : location + "/";
    MatchResult match = FileSystems.match(prefix + "**");
    if (match.status() == MatchResult.Status.OK) {
      for (MatchResult.Metadata m : match.metadata()) {
        entries.add(m.resourceId() + ":" + m.sizeBytes() + "@" + m.lastModifiedMillis());
      }
    }
    entries.sort(null);
    return String.join(",", entries);
  }

  /** Whether {@code location} names a remote file system (s3://…), not a local path. */
  public static boolean isRemote(String location) {
    int colon = location.indexOf("://");
    return colon > 1 && !location.startsWith("file://");
  }

  /** The local path {@code location} names (a plain path or a file:// URI). */
  public static Path localPath(String location) {
    return Path.of(
        location.startsWith("file://") ? location.substring("file://".length()) : location);
  }
}
