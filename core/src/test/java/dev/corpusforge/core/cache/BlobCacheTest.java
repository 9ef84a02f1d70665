package dev.corpusforge.core.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobCacheTest {
  @TempDir Path tmp;

  private static byte[] payload(int n, int seed) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 31 + seed);
    }
    return b;
  }

  @Test
  void anEntryComesBackWithItsStringsAndAnUnknownKeyIsAMiss() {
    BlobCache cache = BlobCache.open(new CacheSpec(tmp.toString() + "/", 1 << 20), "fetch");
    assertTrue(cache.get("http://a/1.png").isEmpty());
    cache.put(
        "http://a/1.png", Map.of("etag", "\"x1\"", "content_type", "image/png"), payload(5000, 1));
    BlobCache.Entry e = cache.get("http://a/1.png").orElseThrow();
    assertArrayEquals(payload(5000, 1), e.payload());
    assertEquals(Map.of("content_type", "image/png", "etag", "\"x1\""), e.meta());
    assertTrue(cache.get("http://a/2.png").isEmpty());
    // stored under the namespace, in a folder of the hash's first two hex digits
    String hash = BlobCache.sha256("http://a/1.png");
    assertTrue(
        Files.isRegularFile(tmp.resolve("fetch").resolve(hash.substring(0, 2)).resolve(hash)));
    // another namespace of the same root does not see it
    assertTrue(
        BlobCache.open(new CacheSpec(tmp.toString(), 1 << 20), "scores")
            .get("http://a/1.png")
            .isEmpty());
    assertNull(BlobCache.open(null, "fetch"));
    assertThrows(
        IllegalArgumentException.class,
        () -> BlobCache.open(new CacheSpec(tmp.toString(), 1), "../up"));
  }

  @Test
  void aTruncatedDamagedOrMisplacedEntryIsNeverTrustedAndIsReplacedWhenStoredAgain()
      throws Exception {
    BlobCache cache = BlobCache.open(new CacheSpec(tmp.toString(), 1 << 20), "fetch");
    cache.put("k", Map.of(), payload(3000, 7));
    Path file = Path.of(cache.pathOf("k"));
    byte[] whole = Files.readAllBytes(file);
    // every truncation, from an empty file to one byte short
    for (int cut : new int[] {0, 5, 8, 20, whole.length / 2, whole.length - 8, whole.length - 1}) {
      Files.write(file, Arrays.copyOf(whole, cut));
      assertTrue(cache.get("k").isEmpty(), "truncated to " + cut + " bytes");
    }
    // one bit flipped in the payload
    byte[] flipped = whole.clone();
    flipped[whole.length / 2] ^= 1;
    Files.write(file, flipped);
    assertTrue(cache.get("k").isEmpty(), "a flipped bit");
    // a whole entry of another key, copied to this key's place
    cache.put("other", Map.of(), payload(3000, 7));
    Files.copy(
        Path.of(cache.pathOf("other")), file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertTrue(cache.get("k").isEmpty(), "an entry for another key");
    cache.put("k", Map.of("n", "2"), payload(10, 2));
    assertArrayEquals(payload(10, 2), cache.get("k").orElseThrow().payload());
    assertNull(BlobCache.decode("k", new byte[0]));
    assertNotNull(BlobCache.decode("k", BlobCache.encode("k", Map.of(), new byte[0])));
  }

  @Test
  void evictionRemovesTheLeastRecentlyUsedEntriesDownToNineTenthsOfTheCap() throws Exception {
    CacheSpec spec = new CacheSpec(tmp.toString(), 10_000);
    BlobCache cache = BlobCache.open(spec, "fetch");
    long now = System.currentTimeMillis();
    for (int i = 0; i < 10; i++) {
      cache.put("k" + i, Map.of(), payload(1_500, i));
      // written one minute apart, k0 first
      Files.setLastModifiedTime(
          Path.of(cache.pathOf("k" + i)), FileTime.fromMillis(now - (10 - i) * 60_000L));
    }
    // reading k0 renews it: it is now the most recently used
    assertTrue(cache.get("k0").isPresent());
    Path staleTmp = tmp.resolve("fetch").resolve("ab").resolve("abc.1234.tmp");
    Files.createDirectories(staleTmp.getParent());
    Files.write(staleTmp, new byte[10]);
    Files.setLastModifiedTime(staleTmp, FileTime.fromMillis(now - 7_200_000));
    long entrySize = Files.size(Path.of(cache.pathOf("k1")));
    CacheEviction.Summary s = CacheEviction.evict(spec);
    assertEquals(10, s.entries());
    // ten entries of ~1.5 kB over a 10 kB cap: down to 9 kB, the oldest first
    long keep = 9_000 / entrySize;
    assertEquals(10 - keep, s.evicted());
    for (int i = 1; i <= 10 - keep; i++) {
      assertTrue(cache.get("k" + i).isEmpty(), "k" + i + " evicted");
    }
    for (int i = (int) (11 - keep); i < 10; i++) {
      assertTrue(cache.get("k" + i).isPresent(), "k" + i + " kept");
    }
    assertTrue(cache.get("k0").isPresent(), "the entry read last is kept");
    assertFalse(Files.exists(staleTmp), "a temporary file an hour old is removed");
    try (Stream<Path> files = Files.walk(tmp)) {
      long bytes = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
      assertTrue(bytes <= 9_000, "under nine tenths of the cap: " + bytes);
    }
    // under the cap: nothing more goes
    assertEquals(0, CacheEviction.evict(spec).evicted());
  }
}
