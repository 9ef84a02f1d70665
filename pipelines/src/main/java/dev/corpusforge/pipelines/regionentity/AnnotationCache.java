package dev.corpusforge.pipelines.regionentity;

import dev.corpusforge.annotators.region.Annotation;
import dev.corpusforge.annotators.region.BinaryMask;
import dev.corpusforge.annotators.region.CocoRle;
import dev.corpusforge.annotators.region.ProposalAnnotator;
import dev.corpusforge.annotators.region.SimilarityAnnotator;
import dev.corpusforge.core.cache.CacheSpec;
import dev.corpusforge.core.cache.ModelCache;
import dev.corpusforge.filters.image.RgbImage;
import dev.corpusforge.scorers.BundleFiles;
import dev.corpusforge.scorers.MiniLmBundle;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * One annotator's answers kept across runs ({@link ModelCache} namespace {@value #NAMESPACE}), by
 * what decides them: the annotator, its settings, the SHA-256 of its bundle's files, the decoded
 * image's pixels and the text prompt. A re-run over rows it has annotated makes no model call for
 * them.
 */
final class AnnotationCache {
  static final String NAMESPACE = "annotations";

  private final String annotator;
  private final ModelCache cache;

  private AnnotationCache(String annotator, ModelCache cache) {
    this.annotator = annotator;
    this.cache = cache;
  }

  /** The cache of annotator {@code name}'s answers under {@code config}; null without a cache. */
  static AnnotationCache open(CacheSpec spec, String name, RegionEntityConfig config)
      throws IOException {
    if (spec == null) {
      return null;
    }
    String model =
        switch (name) {
          case SimilarityAnnotator.NAME ->
              config.similarity() + " bundle=" + BundleFiles.digest(dualEncoder(config));
          case ProposalAnnotator.NAME ->
              config.proposals() + " bundle=" + BundleFiles.digest(dualEncoder(config));
          default -> config.detector() + " bundle=" + BundleFiles.digest(config.detectorBundle());
        };
    return new AnnotationCache(name, ModelCache.open(spec, NAMESPACE, "v1 " + name + " " + model));
  }

  private static String dualEncoder(RegionEntityConfig config) throws IOException {
    return MiniLmBundle.resolve(config.model());
  }

  String key(RgbImage image, String prompt) {
    return cache.key("image=" + image.pixelSha256() + " prompt=" + prompt);
  }

  /** The answer kept under {@code key}, or null. */
  Annotation get(String key) {
    byte[] payload = cache.get(key);
    if (payload == null) {
      return null;
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
      double score = in.readDouble();
      int height = in.readInt();
      if (height < 0) {
        return new Annotation(annotator, null, score);
      }
      int width = in.readInt();
      int n = in.readInt();
      if (n < 0 || n > in.available() / 8) {
        return null;
      }
      long[] runs = new long[n];
      for (int i = 0; i < n; i++) {
        runs[i] = in.readLong();
      }
      return new Annotation(annotator, CocoRle.fromRuns(height, width, runs), score);
    } catch (IOException | IllegalArgumentException e) {
      return null; // the CRC held but the layout does not: annotated again
    }
  }

  void put(String key, Annotation answer) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeDouble(answer.score());
      BinaryMask mask = answer.mask();
      if (mask == null) {
        out.writeInt(-1);
      } else {
        out.writeInt(mask.height());
        out.writeInt(mask.width());
        long[] runs = CocoRle.runs(mask);
        out.writeInt(runs.length);
        for (long r : runs) {
          out.writeLong(r);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("writing to memory cannot fail", e);
    }
    cache.put(key, bytes.toByteArray());
  }

  void report() {
    cache.report();
  }
}
