package dev.corpusforge.core.cache;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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

/**
 * Brings a cache under its size cap once a run has ended: the entries least recently written (on a
 * local folder, least recently read or written) go first, until the rest fill at most nine tenths
 * of the cap, so the next run has room before the cap is reached again. Temporary files older than
 * an hour (a writer that died between writing and moving one into place) go too.
 */
public final class CacheEviction {
  private CacheEviction() {}

  /** What the cache held before, and what was removed. */
  public record Summary(long entries, long bytes, long evicted, long evictedBytes) {}

  private record Item(String path, long size, long modified) {}

  public static Summary evict(CacheSpec spec) throws IOException {
    List<Item> items = spec.local() ? listLocal(Path.of(spec.root())) : listRemote(spec.root());
    long total = items.stream().mapToLong(Item::size).sum();
    List<Item> doomed = new ArrayList<>();
    long hourAgo = System.currentTimeMillis() - 3_600_000;
    List<Item> entries = new ArrayList<>();
    for (Item i : items) {
      if (i.path().endsWith(".tmp")) {
        if (i.modified() < hourAgo) {
          doomed.add(i);
        }
      } else {
        entries.add(i);
      }
    }
    long kept = entries.stream().mapToLong(Item::size).sum();
    long evicted = 0;
    long evictedBytes = 0;
    if (kept > spec.maxBytes()) {
      long target = spec.maxBytes() / 10 * 9;
      entries.sort(Comparator.comparingLong(Item::modified).thenComparing(Item::path));
      for (Item i : entries) {
        if (kept <= target) {
          break;
        }
        doomed.add(i);
        kept -= i.size();
        evicted++;
        evictedBytes += i.size();
      }
    }
    delete(spec, doomed);
    return new Summary(entries.size(), total, evicted, evictedBytes);
  }

  private static List<Item> listLocal(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    List<Item> items = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        try {
          if (Files.isRegularFile(p)) {
            items.add(
                new Item(p.toString(), Files.size(p), Files.getLastModifiedTime(p).toMillis()));
          }
        } catch (NoSuchFileException e) {
          // moved or evicted while listed
        }
      }
    }
    return items;
  }

  private static List<Item> listRemote(String root) throws IOException {
    MatchResult match = FileSystems.match(root + "/**", EmptyMatchTreatment.ALLOW);
    if (match.status() == MatchResult.Status.NOT_FOUND) {
      return List.of();
    }
    List<Item> items = new ArrayList<>();
    for (MatchResult.Metadata m : match.metadata()) {
      items.add(new Item(m.resourceId().toString(), m.sizeBytes(), m.lastModifiedMillis()));
    }
    return items;
  }

  private static void delete(CacheSpec spec, List<Item> doomed) throws IOException {
    if (spec.local()) {
      for (Item i : doomed) {
        Files.deleteIfExists(Path.of(i.path()));
      }
      return;
    }
    List<ResourceId> ids = new ArrayList<>();
    for (Item i : doomed) {
      ids.add(FileSystems.matchNewResource(i.path(), false));
    }
    if (!ids.isEmpty()) {
      FileSystems.delete(ids, MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
    }
  }
}
