package dev.corpusforge.filters.blocklist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The two blocklists read from files as users write them, and what they match. */
class BlocklistTest {
  @TempDir Path dir;

  @Test
  void urlListBlocksExactUrlsAndWholeDomainsOnly() throws Exception {
    Path list = dir.resolve("urls.txt");
    Files.writeString(
        list,
        "# known-bad addresses\n"
            + "https://Images.Example.org/a/b.jpg?size=2#fragment\n"
            + "\n"
            + "  bad-domain.test.  \n");
    UrlBlocklist urls = UrlBlocklist.read(list.toString());
    assertArrayEquals(new int[] {1, 1}, urls.sizes());
    assertEquals("url", urls.match("https://images.example.org/a/b.jpg?size=2"));
    assertEquals("url", urls.match("HTTPS://IMAGES.EXAMPLE.ORG./a/b.jpg?size=2#other"));
    assertNull(urls.match("https://images.example.org/a/B.jpg?size=2"), "paths keep their case");
    assertNull(urls.match("https://images.example.org/a/b.jpg?size=3"));
    assertNull(urls.match("http://images.example.org/a/b.jpg?size=2"));
    assertEquals("domain", urls.match("http://bad-domain.test/x.png"));
    assertEquals("domain", urls.match("https://cdn.img.Bad-Domain.test:8443/x.png"));
    assertNull(urls.match("https://notbad-domain.test/x.png"), "a suffix is not a subdomain");
    assertNull(urls.match("https://bad-domain.test.evil.test/x.png"));
    assertNull(urls.match("not a url"));
    assertEquals(sha256(Files.readAllBytes(list)), urls.file().sha256());
  }

  @Test
  void aMalformedLineFailsWithItsNumberNotItsContent() throws Exception {
    Path urls = dir.resolve("urls.txt");
    Files.writeString(urls, "good.test\n# comment\nsecret value with spaces\n");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> UrlBlocklist.read(urls.toString()));
    assertTrue(e.getMessage().contains("line 3"), e.getMessage());
    assertFalse(e.getMessage().contains("secret"), e.getMessage());

    Path hashes = dir.resolve("hashes.txt");
    Files.writeString(
        hashes, "d41d8cd98f00b204e9800998ecf8427e\nd41d8cd98f00b204e9800998ecf8427\n");
    e = assertThrows(IllegalArgumentException.class, () -> HashBlocklist.read(hashes.toString()));
    assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    assertFalse(e.getMessage().contains("d41d8"), e.getMessage());

    Path binary = dir.resolve("binary.txt");
    Files.write(binary, new byte[] {'a', (byte) 0xff, (byte) 0xfe, '\n'});
    e = assertThrows(IllegalArgumentException.class, () -> HashBlocklist.read(binary.toString()));
    assertTrue(e.getMessage().contains("not UTF-8"), e.getMessage());
  }

  @Test
  void aMillionDigestListFindsTheListedFilesByEitherDigest() throws Exception {
    byte[] listedByMd5;
    byte[] listedBySha;
    try (Stream<Path> files = Files.walk(Path.of("..", "samples", "image-text"))) {
      Path[] pngs = files.filter(f -> f.toString().endsWith(".png")).sorted().toArray(Path[]::new);
      listedByMd5 = Files.readAllBytes(pngs[0]);
      listedBySha = Files.readAllBytes(pngs[1]);
    }
    Path list = dir.resolve("hashes.txt");
    Random random = new Random(7);
    byte[] digest = new byte[32];
    HexFormat hex = HexFormat.of();
    try (BufferedWriter out = Files.newBufferedWriter(list)) {
      for (int i = 0; i < 1_000_000; i++) {
        random.nextBytes(digest);
        out.write(hex.formatHex(digest, 0, i % 10 == 0 ? 16 : 32));
        out.newLine();
        if (i == 500_000) {
          out.write(hex.formatHex(MessageDigest.getInstance("MD5").digest(listedByMd5)));
          out.newLine();
          out.write(sha256(listedBySha).toUpperCase(java.util.Locale.ROOT));
          out.newLine();
        }
      }
    }
    HashBlocklist hashes = HashBlocklist.read(list.toString());
    int[] sizes = hashes.sizes();
    assertEquals(1_000_002, sizes[0] + sizes[1]);
    assertEquals(100_001, sizes[0]);
    assertEquals("md5", hashes.match(listedByMd5, 0, listedByMd5.length));
    assertEquals("sha256", hashes.match(listedBySha, 0, listedBySha.length));
    // the same bytes at an offset in a larger array
    byte[] padded = new byte[listedBySha.length + 10];
    System.arraycopy(listedBySha, 0, padded, 5, listedBySha.length);
    assertEquals("sha256", hashes.match(padded, 5, listedBySha.length));
    assertNull(hashes.match(padded, 4, listedBySha.length));
    assertNull(hashes.match(new byte[] {1, 2, 3}, 0, 3));
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
