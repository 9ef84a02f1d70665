package dev.corpusforge.pipelines.graphsummary;

import dev.corpusforge.scorers.MiniLmBundle;
import dev.corpusforge.scorers.SharedBundles;
import dev.corpusforge.scorers.TextEncoder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Unit-length sentence embeddings from the alignment bundle, loaded once per JVM ({@link
 * SharedBundles}) with a predictor per instance.
 */
final class TextEmbedder implements AutoCloseable {
  private final TextEncoder encoder;

  TextEmbedder(AlignRule rule) throws IOException {
    this.encoder =
        SharedBundles.get(MiniLmBundle.resolve(rule.model()), rule.device(), rule.threads())
            .textEncoder();
  }

  List<float[]> embed(List<String> texts) throws Exception {
    List<float[]> out = new ArrayList<>(texts.size());
    for (TextEncoder.Encoded e : encoder.encode(texts)) {
      out.add(normalise(e.pooled()));
    }
    return out;
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
