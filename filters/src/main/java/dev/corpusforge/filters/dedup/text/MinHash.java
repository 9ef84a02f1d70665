package dev.corpusforge.filters.dedup.text;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

/**
 * MinHash signatures of documents, as DataTrove's and FineWeb's near-duplicate step computes them:
 * shingles of {@code ngram} consecutive normalised words ({@link DocumentText#words}), each hashed
 * to 64 bits (MurmurHash3 from Guava), and for each of {@code permutations} universal hash
 * functions {@code (a·h + b) mod (2^61 − 1)} the smallest value over the shingles. The fraction of
 * equal components of two signatures estimates the Jaccard similarity of their shingle sets. A
 * signature cut into {@code bands} bands of {@code permutations / bands} rows gives the LSH keys:
 * documents that agree on a whole band are candidates.
 */
public final class MinHash implements Serializable {
  private static final long PRIME = (1L << 61) - 1;
  private static final HashFunction SHINGLE_HASH = Hashing.murmur3_128(0x5eed);
  private static final HashFunction BAND_HASH = Hashing.murmur3_128(0xba9d);

  /**
   * @param ngram words per shingle (DataTrove/FineWeb: 5)
   * @param permutations signature length (112)
   * @param bands LSH bands (14, so 8 rows each)
   * @param threshold estimated Jaccard similarity at or above which a candidate pair is a duplicate
   *     (0.8)
   * @param seed of the permutations: signatures compare only under the same seed
   */
  public record Settings(int ngram, int permutations, int bands, double threshold, long seed)
      implements Serializable {
    public static final Settings DEFAULTS = new Settings(5, 112, 14, 0.8, 1);

    public Settings {
      if (ngram < 1 || permutations < 1 || bands < 1 || permutations % bands != 0) {
        throw new IllegalArgumentException(
            "MinHash needs --minhash-ngram ≥ 1 and --minhash-perm a multiple of --minhash-bands,"
                + " not ngram "
                + ngram
                + ", perm "
                + permutations
                + ", bands "
                + bands);
      }
      if (!(threshold > 0 && threshold <= 1)) {
        throw new IllegalArgumentException(
            "--minhash-threshold must be in (0, 1], not " + threshold);
      }
    }

    public int rows() {
      return permutations / bands;
    }
  }

  private final Settings settings;
  private final long[] a;
  private final long[] b;

  public MinHash(Settings settings) {
    this.settings = settings;
    SplittableRandom random = new SplittableRandom(settings.seed());
    a = new long[settings.permutations()];
    b = new long[settings.permutations()];
    for (int i = 0; i < a.length; i++) {
      a[i] = 1 + random.nextLong(PRIME - 1);
      b[i] = random.nextLong(PRIME);
    }
  }

  public Settings settings() {
    return settings;
  }

  /**
   * The signature of a text; null when it has no word. A text of fewer words than a shingle is one
   * shingle of all its words.
   */
  public long[] signature(String text) {
    List<String> words = DocumentText.words(text);
    if (words.isEmpty()) {
      return null;
    }
    long[] signature = new long[a.length];
    Arrays.fill(signature, Long.MAX_VALUE);
    int n = settings.ngram();
    int shingles = Math.max(1, words.size() - n + 1);
    StringBuilder shingle = new StringBuilder();
    for (int s = 0; s < shingles; s++) {
      shingle.setLength(0);
      for (int w = s; w < Math.min(words.size(), s + n); w++) {
        if (w > s) {
          shingle.append(' ');
        }
        shingle.append(words.get(w));
      }
      long h =
          Long.remainderUnsigned(
              SHINGLE_HASH.hashString(shingle, StandardCharsets.UTF_8).asLong(), PRIME);
      for (int i = 0; i < a.length; i++) {
        long v = mulMod(a[i], h) + b[i];
        if (v >= PRIME) {
          v -= PRIME;
        }
        if (v < signature[i]) {
          signature[i] = v;
        }
      }
    }
    return signature;
  }

  /** The estimated Jaccard similarity: the fraction of equal components. */
  public static double similarity(long[] x, long[] y) {
    if (x.length != y.length) {
      throw new IllegalArgumentException("signatures of different lengths");
    }
    int same = 0;
    for (int i = 0; i < x.length; i++) {
      same += x[i] == y[i] ? 1 : 0;
    }
    return (double) same / x.length;
  }

  /** The LSH key of band {@code band}: its number and a hash of its rows. */
  public String bandKey(long[] signature, int band) {
    int rows = settings.rows();
    ByteBuffer bytes = ByteBuffer.allocate(8 * rows);
    for (int r = 0; r < rows; r++) {
      bytes.putLong(signature[band * rows + r]);
    }
    return band
        + ":"
        + HexFormat.of().formatHex(BAND_HASH.hashBytes(bytes.array()).asBytes(), 0, 12);
  }

  /** A signature as bytes (8 per component), for records and coders. */
  public static byte[] toBytes(long[] signature) {
    ByteBuffer bytes = ByteBuffer.allocate(8 * signature.length);
    for (long v : signature) {
      bytes.putLong(v);
    }
    return bytes.array();
  }

  public static long[] fromBytes(ByteBuffer bytes) {
    ByteBuffer b = bytes.duplicate();
    long[] signature = new long[b.remaining() / 8];
    for (int i = 0; i < signature.length; i++) {
      signature[i] = b.getLong();
    }
    return signature;
  }

  /** {@code a·x mod (2^61 − 1)} for {@code a, x < 2^61 − 1}, without overflow. */
  static long mulMod(long a, long x) {
    long hi = Math.multiplyHigh(a, x);
    long lo = a * x;
    // the 122-bit product is hi·2^64 + lo; 2^61 ≡ 1, so it is ≡ (its low 61 bits) + (the rest)
    long r = (lo & PRIME) + ((lo >>> 61) | (hi << 3));
    r = (r & PRIME) + (r >>> 61);
    return r >= PRIME ? r - PRIME : r;
  }
}
