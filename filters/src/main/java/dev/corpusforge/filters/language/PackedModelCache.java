package dev.corpusforge.filters.language;

import com.github.pemistahl.lingua.api.Language;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.zip.CRC32C;

/**
 * Packed language models kept on disk between runs: reading Lingua's JSON model files and packing
 * them is ~7 CPU-seconds for all languages, reading the packed tables back a fraction of that.
 *
 * <p>One file per language and n-gram length, in a folder named after Lingua's jar (its path, size
 * and modification time) and this format's version, so another Lingua never reads these tables.
 * Each file ends in a CRC-32C of the rest; a file that is short, fails its check or is not a table
 * is not used: the model is packed from Lingua's file again and the file written anew. Files are
 * written to a temporary name and moved into place, so runs side by side never read a half-written
 * one. The folder is {@code $CORPUSFORGE_CACHE/lingua} (else {@code $XDG_CACHE_HOME/corpusforge},
 * else {@code ~/.cache/corpusforge}); {@code CORPUSFORGE_CACHE=off} turns the cache off. Where the
 * folder cannot be written, models are packed in memory as without it.
 */
final class PackedModelCache {
  private static final int FORMAT = 1;
  private final Path folder;

  private PackedModelCache(Path folder) {
    this.folder = folder;
  }

  /** The cache of the Lingua on the class path, under {@code root}; empty without a jar to key. */
  static Optional<PackedModelCache> under(Path root) {
    return linguaKey().map(key -> new PackedModelCache(root.resolve("lingua").resolve(key)));
  }

  /** The cache at the place the environment names, or none when it is turned off. */
  static Optional<PackedModelCache> fromEnvironment() {
    String own = System.getenv("CORPUSFORGE_CACHE");
    if ("off".equals(own)) {
      return Optional.empty();
    }
    Path root;
    if (own != null && !own.isBlank()) {
      root = Path.of(own);
    } else {
      String xdg = System.getenv("XDG_CACHE_HOME");
      root =
          xdg != null && !xdg.isBlank()
              ? Path.of(xdg, "corpusforge")
              : Path.of(System.getProperty("user.home"), ".cache", "corpusforge");
    }
    return under(root);
  }

  /**
   * The table of {@code language}'s n-grams of {@code length} chars: read from the cache when a
   * sound copy is there, else made by {@code pack} and written there (empty: the model does not
   * pack, and nothing is kept).
   */
  Optional<PackedNgramTable> table(
      Language language, int length, Supplier<Optional<PackedNgramTable>> pack) {
    Path file = folder.resolve(language.getIsoCode639_1() + "-" + length + ".bin");
    Optional<PackedNgramTable> cached = read(file, length);
    if (cached.isPresent()) {
      return cached;
    }
    Optional<PackedNgramTable> packed = pack.get();
    packed.ifPresent(table -> write(file, table.toBytes()));
    return packed;
  }

  private static Optional<PackedNgramTable> read(Path file, int length) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      return Optional.empty();
    }
    if (bytes.length < 8) {
      return Optional.empty();
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, bytes.length - 8);
    long stored =
        ByteBuffer.wrap(bytes, bytes.length - 8, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    if (stored != crc.getValue()) {
      return Optional.empty();
    }
    try {
      return Optional.of(PackedNgramTable.fromBytes(bytes, bytes.length - 8, length));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static void write(Path file, byte[] table) {
    CRC32C crc = new CRC32C();
    crc.update(table);
    byte[] check =
        ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(crc.getValue()).array();
    Path temp = null;
    try {
      Files.createDirectories(file.getParent());
      temp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
      try (var out = Files.newOutputStream(temp)) {
        out.write(table);
        out.write(check);
      }
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      temp = null;
    } catch (IOException | RuntimeException e) {
      // a cache that cannot be written leaves the run as it would be without one
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException ignored) {
          // the temporary file stays; it is never read as a table
        }
      }
    }
  }

  /** Lingua's jar as a folder name: a hash of its path, size and modification time. */
  private static Optional<String> linguaKey() {
    try {
      var source = Language.class.getProtectionDomain().getCodeSource();
      if (source == null || source.getLocation() == null) {
        return Optional.empty();
      }
      Path jar = Path.of(source.getLocation().toURI());
      BasicFileAttributes attributes = Files.readAttributes(jar, BasicFileAttributes.class);
      String identity =
          FORMAT
              + "\n"
              + jar.toAbsolutePath()
              + "\n"
              + attributes.size()
              + "\n"
              + attributes.lastModifiedTime().toMillis();
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
      return Optional.of(HexFormat.of().formatHex(hash, 0, 12));
    } catch (IOException | URISyntaxException | NoSuchAlgorithmException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
