package dev.corpusforge.scorers;

import dev.corpusforge.core.cache.BlobCache;
import dev.corpusforge.core.read.SourceStamp;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
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

  /** File digests already computed in this JVM, by local folder and its {@link SourceStamp}. */
  private static final Map<String, SortedMap<String, String>> DIGESTS = new ConcurrentHashMap<>();

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

  /**
   * The SHA-256 of every file of the bundle at {@code location}, by file name; computed once per
   * JVM until the files change.
   */
  public static SortedMap<String, String> fileDigests(String location) throws IOException {
    Path dir = localFolder(location);
    String key = dir + "|" + SourceStamp.folder(dir.toString());
    SortedMap<String, String> known = DIGESTS.get(key);
    if (known != null) {
      return known;
    }
    SortedMap<String, String> digests = new TreeMap<>();
    try (Stream<Path> list = Files.list(dir)) {
      for (Path f : list.filter(Files::isRegularFile).toList()) {
        digests.put(f.getFileName().toString(), BlobCache.sha256(f));
      }
    }
    SortedMap<String, String> fixed = Collections.unmodifiableSortedMap(digests);
    DIGESTS.put(key, fixed);
    return fixed;
  }

  /** One SHA-256 for the bundle at {@code location}: over its files' names and digests. */
  public static String digest(String location) throws IOException {
    StringBuilder all = new StringBuilder();
    fileDigests(location)
        .forEach((name, sha) -> all.append(name).append('=').append(sha).append('\n'));
    return BlobCache.sha256(all.toString());
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
