package dev.corpusforge.scorers.beam;

import dev.corpusforge.core.cache.BlobCache;
import dev.corpusforge.core.cache.CacheSpec;
import dev.corpusforge.scorers.BundleFiles;
import dev.corpusforge.scorers.PairScores;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A pair's scores kept across runs ({@link BlobCache} namespace {@value #NAMESPACE}), by what
 * decides them: the SHA-256 of the image bytes, the caption, the SHA-256 of the bundle's files, and
 * the settings that change the numbers (FILIP's token fraction, whether embeddings are kept). A
 * re-run over pairs it has scored makes no model call for them.
 */
final class ScoreCache {
  static final String NAMESPACE = "scores";

  /** Bundle digests already computed in this JVM, by location. */
  private static final Map<String, String> BUNDLE_DIGESTS = new ConcurrentHashMap<>();

  private final BlobCache blobs;
  private final String settings;

  private ScoreCache(BlobCache blobs, String settings) {
    this.blobs = blobs;
    this.settings = settings;
  }

  /** The score cache of {@code spec} for {@code config}'s model and settings; null for none. */
  static ScoreCache open(CacheSpec spec, ScoringConfig config) throws IOException {
    if (spec == null) {
      return null;
    }
    String settings =
        "v1 bundle="
            + bundleDigest(config.bundle())
            + " filip_top_fraction="
            + config.filipTopFraction()
            + " embeddings="
            + config.embeddings();
    return new ScoreCache(BlobCache.open(spec, NAMESPACE), settings);
  }

  BlobCache blobs() {
    return blobs;
  }

  /** A pair's key: computed once per pair, for the lookup and the store after scoring. */
  String key(byte[] image, String caption) {
    return settings + " image=" + BlobCache.sha256(image) + " caption=" + caption;
  }

  PairScores get(String key) {
    Optional<BlobCache.Entry> hit = blobs.get(key);
    if (hit.isEmpty()) {
      return null;
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(hit.get().payload()))) {
      double clip = in.readDouble();
      double i2t = in.readDouble();
      double t2i = in.readDouble();
      double filip = in.readDouble();
      return new PairScores(clip, i2t, t2i, filip, readFloats(in), readFloats(in));
    } catch (IOException e) {
      return null; // the CRC held but the layout does not: recomputed
    }
  }

  void put(String key, PairScores s) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeDouble(s.clip());
      out.writeDouble(s.filipImageToText());
      out.writeDouble(s.filipTextToImage());
      out.writeDouble(s.filip());
      writeFloats(out, s.imageEmbedding());
      writeFloats(out, s.textEmbedding());
    } catch (IOException e) {
      throw new IllegalStateException("writing to memory cannot fail", e);
    }
    blobs.put(key, Map.of(), bytes.toByteArray());
  }

  private static void writeFloats(DataOutputStream out, float[] v) throws IOException {
    out.writeInt(v == null ? -1 : v.length);
    if (v != null) {
      for (float x : v) {
        out.writeFloat(x);
      }
    }
  }

  private static float[] readFloats(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0) {
      return null;
    }
    if (n > in.available() / 4) {
      throw new IOException("embedding length " + n + " out of range");
    }
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = in.readFloat();
    }
    return v;
  }

  /** SHA-256 over the bundle's files (name and content), once per JVM and location. */
  static String bundleDigest(String location) throws IOException {
    String known = BUNDLE_DIGESTS.get(location);
    if (known != null) {
      return known;
    }
    Path dir = BundleFiles.localFolder(location);
    StringBuilder all = new StringBuilder();
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(Files::isRegularFile).sorted().toList();
    }
    for (Path f : files) {
      all.append(f.getFileName()).append('=').append(BlobCache.sha256(f)).append('\n');
    }
    String digest = BlobCache.sha256(all.toString());
    BUNDLE_DIGESTS.put(location, digest);
    return digest;
  }
}
