package dev.corpusforge.pipelines.run;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.corpusforge.core.output.StatsLines;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;

/** Small file operations on any Beam file system (local or s3://), for the driver. */
public final class OutputFiles {
  private OutputFiles() {}

  /** Every file under {@code dir} (recursively); empty when there is none. */
  public static List<MatchResult.Metadata> listUnder(String dir) throws IOException {
    String pattern = dir.endsWith("/") ? dir + "**" : dir + "/**";
    MatchResult match = FileSystems.match(pattern, EmptyMatchTreatment.ALLOW);
    if (match.status() == MatchResult.Status.NOT_FOUND) {
      return List.of();
    }
    List<MatchResult.Metadata> files = new ArrayList<>();
    for (MatchResult.Metadata m : match.metadata()) {
      if (!m.resourceId().isDirectory()) {
        files.add(m);
      }
    }
    return files;
  }

  /**
   * The files a pattern or a single path matches; empty when none; an IOException when the file
   * system cannot tell (access refused, unreachable).
   */
  public static List<MatchResult.Metadata> match(String pattern) throws IOException {
    MatchResult match = FileSystems.match(pattern, EmptyMatchTreatment.ALLOW);
    return match.status() == MatchResult.Status.NOT_FOUND ? List.of() : match.metadata();
  }

  public static boolean exists(String path) throws IOException {
    return !match(path).isEmpty();
  }

  /** Deletes every file under {@code dir}, and on a local file system the emptied folders too. */
  public static void deleteUnder(String dir) throws IOException {
    List<ResourceId> ids = new ArrayList<>();
    for (MatchResult.Metadata m : listUnder(dir)) {
      ids.add(m.resourceId());
    }
    FileSystems.delete(ids, MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
    Path local = localPath(dir);
    if (local != null && Files.isDirectory(local)) {
      try (Stream<Path> tree = Files.walk(local)) {
        for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
          if (Files.isDirectory(p)) {
            try (Stream<Path> entries = Files.list(p)) {
              if (entries.findAny().isEmpty()) {
                Files.delete(p);
              }
            }
          }
        }
      }
    }
  }

  /** The local path of a location without scheme or with file://, else null. */
  static Path localPath(String location) {
    if (location.startsWith("file://")) {
      return Path.of(java.net.URI.create(location));
    }
    return location.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*") ? null : Path.of(location);
  }

  public static void delete(String path) throws IOException {
    FileSystems.delete(
        List.of(FileSystems.matchNewResource(path, false)),
        MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
  }

  public static String readString(String path) throws IOException {
    try (InputStream in =
        Channels.newInputStream(FileSystems.open(FileSystems.matchNewResource(path, false)))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  public static byte[] readBytes(ResourceId file, long max) throws IOException {
    try (InputStream in = Channels.newInputStream(FileSystems.open(file))) {
      return dev.corpusforge.pipelines.io.Blobs.readCapped(in, max);
    }
  }

  public static void writeString(String path, String content, String mimeType) throws IOException {
    writeBytes(path, content.getBytes(StandardCharsets.UTF_8), mimeType);
  }

  /** A new file (local or s3://) holding {@code bytes}. */
  public static void writeBytes(String path, byte[] bytes, String mimeType) throws IOException {
    ResourceId id = FileSystems.matchNewResource(path, false);
    try (OutputStream out = Channels.newOutputStream(FileSystems.create(id, mimeType))) {
      out.write(bytes);
    }
  }

  /**
   * A JSON writer on a new file (local or s3://). Closing the writer closes the file, once: an S3
   * upload completes on the first close and fails on a second.
   */
  public static JsonGenerator createJson(String path) throws IOException {
    return StatsLines.JSON
        .getFactory()
        .createGenerator(
            Channels.newOutputStream(
                FileSystems.create(FileSystems.matchNewResource(path, false), "application/json")),
            JsonEncoding.UTF8);
  }
}
