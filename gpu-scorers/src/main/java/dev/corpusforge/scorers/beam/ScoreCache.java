package dev.corpusforge.scorers.beam;

import dev.corpusforge.core.cache.BlobCache;
import dev.corpusforge.core.cache.CacheSpec;
import dev.corpusforge.core.cache.ModelCache;
import dev.corpusforge.scorers.BundleFiles;
import dev.corpusforge.scorers.PairScores;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * A pair's scores kept across runs ({@link ModelCache} namespace {@value #NAMESPACE}), by what
 * decides them: the SHA-256 of the image bytes, the caption, the SHA-256 of the bundle's files, and
 * the settings that change the numbers (FILIP's token fraction, whether embeddings are kept). A
 * re-run over pairs it has scored makes no model call for them.
 */
final class ScoreCache {
  static final String NAMESPACE = "scores";

  private final ModelCache cache;

  private ScoreCache(ModelCache cache) {
    this.cache = cache;
  }

  /** The score cache of {@code spec} for {@code config}'s model and settings; null for none. */
  static ScoreCache open(CacheSpec spec, ScoringConfig config) throws IOException {
    if (spec == null) {
      return null;
    }
    String model =
        "v1 bundle="
            + BundleFiles.digest(config.bundle())
            + " filip_top_fraction="
            + config.filipTopFraction()
            + " embeddings="
            + config.embeddings();
    return new ScoreCache(ModelCache.open(spec, NAMESPACE, model));
  }

  void report() {
    cache.report();
  }

  /** A pair's key: computed once per pair, for the lookup and the store after scoring. */
  String key(byte[] image, String caption) {
    return cache.key("image=" + BlobCache.sha256(image) + " caption=" + caption);
  }

  PairScores get(String key) {
    byte[] payload = cache.get(key);
    if (payload == null) {
      return null;
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
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
    cache.put(key, bytes.toByteArray());
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
}
