package dev.corpusforge.pipelines.graphsummary;

import dev.corpusforge.core.cache.BlobCache;
import dev.corpusforge.core.cache.CacheSpec;
import dev.corpusforge.core.cache.ModelCache;
import dev.corpusforge.scorers.BundleFiles;
import dev.corpusforge.scorers.MiniLmBundle;
import dev.corpusforge.scorers.SharedBundles;
import dev.corpusforge.scorers.TextEncoder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Unit-length sentence embeddings from the alignment bundle, loaded once per JVM ({@link
 * SharedBundles}) with a predictor per instance. With a run cache, a text embedded before by the
 * same bundle is not embedded again ({@link ModelCache} namespace {@value #NAMESPACE}, keyed by the
 * bundle's SHA-256 and the text's).
 */
final class TextEmbedder implements AutoCloseable {
  static final String NAMESPACE = "text_embeddings";

  private final TextEncoder encoder;
  private final ModelCache cache;

  TextEmbedder(AlignRule rule, CacheSpec cacheSpec) throws IOException {
    String bundle = MiniLmBundle.resolve(rule.model());
    this.encoder = SharedBundles.get(bundle, rule.device(), rule.threads()).textEncoder();
    // the bundle's digest (a read of every file) only when there is a cache to key
    this.cache =
        cacheSpec == null
            ? null
            : ModelCache.open(cacheSpec, NAMESPACE, "v1 unit bundle=" + BundleFiles.digest(bundle));
  }

  List<float[]> embed(List<String> texts) throws Exception {
    float[][] out = new float[texts.size()][];
    String[] keys = new String[texts.size()];
    List<Integer> missing = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      if (cache != null) {
        keys[i] = cache.key("text=" + BlobCache.sha256(texts.get(i)));
        out[i] = ModelCache.vector(cache.get(keys[i]));
      }
      if (out[i] == null) {
        missing.add(i);
      }
    }
    if (!missing.isEmpty()) {
      List<TextEncoder.Encoded> encoded = encoder.encode(missing.stream().map(texts::get).toList());
      for (int j = 0; j < missing.size(); j++) {
        int i = missing.get(j);
        out[i] = normalise(encoded.get(j).pooled());
        if (cache != null) {
          cache.put(keys[i], ModelCache.vector(out[i]));
        }
      }
    }
    if (cache != null) {
      cache.report();
    }
    return Arrays.asList(out);
  }

  static float[] normalise(float[] v) {
    double n = 0;
    for (float x : v) {
      n += x * x;
    }
    float[] u = new float[v.length];
    double norm = Math.sqrt(n);
    for (int i = 0; i < v.length; i++) {
      u[i] = norm == 0 ? 0 : (float) (v[i] / norm);
    }
    return u;
  }

  static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  @Override
  public void close() {
    encoder.close();
  }
}
