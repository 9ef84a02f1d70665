package dev.corpusforge.scorers;

import dev.corpusforge.core.read.SourceStamp;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * Where a bundle's files are on this machine. A local folder is used as it is; a bundle under a
 * remote prefix (s3://…) is copied into a temporary folder, since ONNX Runtime and the tokenizer
 * read local files, once per JVM and again when the files under the prefix change ({@link
 * SourceStamp}). Remote reads go through Beam's file systems, so they use the run's S3 settings.
 */
public final class BundleFiles {
  private record Copy(String stamp, Path folder) {}

  private static final Map<String, Copy> COPIES = new ConcurrentHashMap<>();

  private BundleFiles() {}

  public static boolean isRemote(String location) {
    return SourceStamp.isRemote(location);
  }

  /** The local folder holding the bundle at {@code location}. */
  public static Path localFolder(String location) throws IOException {
    if (!isRemote(location)) {
      return SourceStamp.localPath(location);
    }
    String stamp = SourceStamp.folder(location);
    synchronized (COPIES) {
      Copy cached = COPIES.get(location);
      if (cached == null || !cached.stamp().equals(stamp) || !Files.isDirectory(cached.folder())) {
        cached = new Copy(stamp, copy(location));
        COPIES.put(location, cached);
      }
      return cached.folder();
    }
  }

  private static Path copy(String location) throws IOException {
    String prefix = location.endsWith("/") ? location : location + "/";
    MatchResult match = FileSystems.match(prefix + "*");
    if (match.status() != MatchResult.Status.OK || match.metadata().isEmpty()) {
      throw new IOException("no bundle files under " + prefix);
    }
    Path dir = Files.createTempDirectory("corpusforge-bundle-");
    dir.toFile().deleteOnExit();
    for (MatchResult.Metadata file : match.metadata()) {
      String name = file.resourceId().getFilename();
      if (name == null || name.isEmpty()) {
        continue;
      }
      Path target = dir.resolve(name);
      try (InputStream in = Channels.newInputStream(FileSystems.open(file.resourceId()))) {
        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
      }
      target.toFile().deleteOnExit();
    }
    return dir;
  }
}
