package dev.corpusforge.core.cache;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * Results worth keeping across runs (fetched bodies, model outputs), one file per key under {@code
 * ROOT/NAMESPACE/xx/SHA-256(key)}, on a local path or any file system Beam knows ({@code s3://}).
 *
 * <p>An entry holds its key, a few named strings (a response's validators, say), the payload and a
 * CRC-32 of all of it. An entry that is truncated, damaged, or written for another key is counted
 * {@code NAMESPACE_corrupt} and read as a miss: the caller recomputes it and {@link #put} replaces
 * it. A local entry is written to a temporary file and moved into place, so a reader never sees
 * half of one; an object store shows an object only once it is whole. Each hit on a local entry
 * renews its modification time, which {@link CacheEviction} evicts by.
 *
 * <p>Counts its hits, misses, untrusted entries and stores ({@link #counts}), from whichever
 * threads use it; {@link CacheCounters} hands them to Beam's metrics (namespace {@value #METRICS},
 * {@code NAMESPACE_hits} …) on a step's own thread, and the manifest carries them.
 */
public final class BlobCache {
  public static final String METRICS = "cache";
  private static final byte[] MAGIC = "CFCACHE1".getBytes(StandardCharsets.US_ASCII);

  private final CacheSpec spec;
  private final String namespace;
  private final Counts counts = new Counts();

  private BlobCache(CacheSpec spec, String namespace) {
    if (!namespace.matches("[a-z0-9_-]+")) {
      throw new IllegalArgumentException("cache namespace must be [a-z0-9_-]+: " + namespace);
    }
    this.spec = spec;
    this.namespace = namespace;
  }

  /** What a cache has done so far; safe to update from any thread. */
  public static final class Counts {
    final AtomicLong hits = new AtomicLong();
    final AtomicLong misses = new AtomicLong();
    final AtomicLong corrupt = new AtomicLong();
    final AtomicLong stored = new AtomicLong();
    final AtomicLong storeFailed = new AtomicLong();

    public long hits() {
      return hits.get();
    }

    public long misses() {
      return misses.get();
    }

    public long corrupt() {
      return corrupt.get();
    }

    public long stored() {
      return stored.get();
    }

    public long storeFailed() {
      return storeFailed.get();
    }
  }

  public Counts counts() {
    return counts;
  }

  public String namespace() {
    return namespace;
  }

  /** The cache of {@code spec}'s root for one kind of result; null when {@code spec} is null. */
  public static BlobCache open(CacheSpec spec, String namespace) {
    return spec == null ? null : new BlobCache(spec, namespace);
  }

  /** A cached payload with the strings stored beside it. */
  public record Entry(Map<String, String> meta, byte[] payload) {}

  /** The entry for {@code key}, or empty when there is none or it cannot be trusted. */
  public Optional<Entry> get(String key) {
    return get(key, e -> true);
  }

  /**
   * The entry for {@code key} when it is there, whole, and {@code usable} takes it (counted a hit);
   * else empty (counted a miss, or corrupt).
   */
  public Optional<Entry> get(String key, java.util.function.Predicate<Entry> usable) {
    String path = pathOf(key);
    byte[] bytes;
    try {
      bytes = read(path);
    } catch (FileNotFoundException | NoSuchFileException e) {
      counts.misses.incrementAndGet();
      return Optional.empty();
    } catch (IOException e) {
      counts.corrupt.incrementAndGet();
      return Optional.empty();
    } catch (RuntimeException e) {
      // an object store's own word for a missing object (S3's NoSuchKey), or a store that cannot
      // be read: the cache only ever saves work
      counts.misses.incrementAndGet();
      return Optional.empty();
    }
    Entry entry = decode(key, bytes);
    if (entry == null) {
      counts.corrupt.incrementAndGet();
      return Optional.empty();
    }
    if (!usable.test(entry)) {
      counts.misses.incrementAndGet();
      return Optional.empty();
    }
    counts.hits.incrementAndGet();
    if (local()) {
      try {
        Files.setLastModifiedTime(Path.of(path), FileTime.fromMillis(System.currentTimeMillis()));
      } catch (IOException e) {
        // renewing the time only orders eviction
      }
    }
    return Optional.of(entry);
  }

  /**
   * Stores {@code payload} for {@code key}, replacing any entry. A failure to store is counted and
   * otherwise ignored: the cache only ever saves work.
   */
  public void put(String key, Map<String, String> meta, byte[] payload) {
    byte[] bytes = encode(key, meta, payload);
    String path = pathOf(key);
    try {
      if (local()) {
        Path target = Path.of(path);
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling(target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        Files.write(tmp, bytes);
        try {
          Files.move(
              tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
      } else {
        try (OutputStream out =
            Channels.newOutputStream(
                FileSystems.create(FileSystems.matchNewResource(path, false), MimeTypes.BINARY))) {
          out.write(bytes);
        }
      }
      counts.stored.incrementAndGet();
    } catch (IOException | RuntimeException e) {
      counts.storeFailed.incrementAndGet();
    }
  }

  /** Where {@code key}'s entry lives. */
  String pathOf(String key) {
    String hash = sha256(key);
    return spec.root() + "/" + namespace + "/" + hash.substring(0, 2) + "/" + hash;
  }

  private boolean local() {
    return spec.local();
  }

  private byte[] read(String path) throws IOException {
    if (local()) {
      return Files.readAllBytes(Path.of(path));
    }
    try (InputStream in =
        Channels.newInputStream(FileSystems.open(FileSystems.matchNewResource(path, false)))) {
      return in.readAllBytes();
    }
  }

  static byte[] encode(String key, Map<String, String> meta, byte[] payload) {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream(payload.length + 256);
    try (DataOutputStream out = new DataOutputStream(buffer)) {
      out.write(MAGIC);
      writeString(out, key);
      Map<String, String> sorted = new TreeMap<>(meta);
      out.writeInt(sorted.size());
      for (Map.Entry<String, String> e : sorted.entrySet()) {
        writeString(out, e.getKey());
        writeString(out, e.getValue());
      }
      out.writeLong(payload.length);
      out.write(payload);
      CRC32 crc = new CRC32();
      crc.update(buffer.toByteArray());
      out.writeLong(crc.getValue());
    } catch (IOException e) {
      throw new IllegalStateException("writing to memory cannot fail", e);
    }
    return buffer.toByteArray();
  }

  /** The entry in {@code bytes} when it is whole, undamaged and {@code key}'s; else null. */
  static Entry decode(String key, byte[] bytes) {
    if (bytes.length < MAGIC.length + 8
        || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      return null;
    }
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, bytes.length - 8);
    long stated = 0;
    for (int i = bytes.length - 8; i < bytes.length; i++) {
      stated = (stated << 8) | (bytes[i] & 0xff);
    }
    if (stated != crc.getValue()) {
      return null;
    }
    try (DataInputStream in =
        new DataInputStream(new java.io.ByteArrayInputStream(bytes, 0, bytes.length - 8))) {
      in.skipNBytes(MAGIC.length);
      if (!key.equals(readString(in))) {
        return null;
      }
      int n = in.readInt();
      if (n < 0 || n > 1024) {
        return null;
      }
      Map<String, String> meta = new TreeMap<>();
      for (int i = 0; i < n; i++) {
        meta.put(readString(in), readString(in));
      }
      long length = in.readLong();
      if (length != in.available()) {
        return null;
      }
      return new Entry(meta, in.readNBytes((int) length));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String readString(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > in.available()) {
      throw new IOException("string length " + n + " out of range");
    }
    return new String(in.readNBytes(n), StandardCharsets.UTF_8);
  }

  /** The SHA-256 of {@code text}'s UTF-8 bytes, in hex. */
  public static String sha256(String text) {
    return sha256(text.getBytes(StandardCharsets.UTF_8));
  }

  /** The SHA-256 of {@code bytes}, in hex. */
  public static String sha256(byte[] bytes) {
    MessageDigest d = sha256();
    return HexFormat.of().formatHex(d.digest(bytes));
  }

  /** The SHA-256 of a file's content, in hex, read in blocks (model weights are large). */
  public static String sha256(Path file) throws IOException {
    MessageDigest d = sha256();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        d.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(d.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
