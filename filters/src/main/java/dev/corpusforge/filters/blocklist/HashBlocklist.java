package dev.corpusforge.filters.blocklist;

import java.io.IOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Digests of known-bad files: MD5 (32 hex digits) and SHA-256 (64), one per line, of the raw bytes
 * as fetched or read. Held as two sorted arrays of fixed-width digests (16 and 32 bytes an entry:
 * 32 MB for a million SHA-256 digests) and looked up by binary search; a file is hashed only with
 * the algorithms the list uses.
 */
public final class HashBlocklist {
  private static final int MD5_BYTES = 16;
  private static final int SHA256_BYTES = 32;

  private final BlocklistFile file;
  private final byte[] md5;
  private final byte[] sha256;

  private HashBlocklist(BlocklistFile file, byte[] md5, byte[] sha256) {
    this.file = file;
    this.md5 = md5;
    this.sha256 = sha256;
  }

  /** Reads and checks the list; a line that is not an MD5 or SHA-256 hex digest fails the run. */
  public static HashBlocklist read(String path) throws IOException {
    List<String> md5 = new ArrayList<>();
    List<String> sha = new ArrayList<>();
    BlocklistFile file =
        BlocklistFile.read(
            "--blocklist-hashes",
            path,
            (number, text) -> {
              String hex = text.toLowerCase(Locale.ROOT);
              if (!hex.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))
                  || (hex.length() != 2 * MD5_BYTES && hex.length() != 2 * SHA256_BYTES)) {
                throw new IllegalArgumentException(
                    "--blocklist-hashes "
                        + path
                        + " line "
                        + number
                        + ": not an MD5 (32 hex digits) or SHA-256 (64) digest");
              }
              (hex.length() == 2 * MD5_BYTES ? md5 : sha).add(hex);
            });
    return new HashBlocklist(file, packed(md5, MD5_BYTES), packed(sha, SHA256_BYTES));
  }

  /** Sorted, distinct digests back to back; lower-case hex sorts as the unsigned bytes do. */
  private static byte[] packed(List<String> hex, int width) {
    String[] sorted = hex.stream().sorted().distinct().toArray(String[]::new);
    byte[] out = new byte[sorted.length * width];
    HexFormat format = HexFormat.of();
    for (int i = 0; i < sorted.length; i++) {
      System.arraycopy(format.parseHex(sorted[i]), 0, out, i * width, width);
    }
    return out;
  }

  public BlocklistFile file() {
    return file;
  }

  /** Digests listed: MD5, SHA-256. */
  public int[] sizes() {
    return new int[] {md5.length / MD5_BYTES, sha256.length / SHA256_BYTES};
  }

  /** Which listed digest {@code bytes} has ({@code md5} or {@code sha256}), or null. */
  public String match(byte[] bytes, int offset, int length) {
    if (md5.length > 0 && contains(md5, MD5_BYTES, digest("MD5", bytes, offset, length))) {
      return "md5";
    }
    if (sha256.length > 0
        && contains(sha256, SHA256_BYTES, digest("SHA-256", bytes, offset, length))) {
      return "sha256";
    }
    return null;
  }

  private static byte[] digest(String algorithm, byte[] bytes, int offset, int length) {
    try {
      MessageDigest d = MessageDigest.getInstance(algorithm);
      d.update(bytes, offset, length);
      return d.digest();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean contains(byte[] table, int width, byte[] key) {
    int lo = 0;
    int hi = table.length / width - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = Arrays.compareUnsigned(table, mid * width, mid * width + width, key, 0, width);
      if (c < 0) {
        lo = mid + 1;
      } else if (c > 0) {
        hi = mid - 1;
      } else {
        return true;
      }
    }
    return false;
  }
}
