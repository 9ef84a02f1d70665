package dev.corpusforge.annotators.region;

import dev.corpusforge.scorers.SimilarityMap;
import java.awt.image.BufferedImage;
import java.util.List;

/** What the region annotators ask of a dual encoder, for one text at a time. Not thread-safe. */
public interface RegionScorer extends AutoCloseable {
  /** The text's per-patch late-interaction map over each square RGB image. */
  List<SimilarityMap> maps(List<BufferedImage> squares, String text) throws Exception;

  /** Each RGB image's pooled embedding, in one encoder pass. */
  List<float[]> pooledImages(List<BufferedImage> images) throws Exception;

  /** The text's pooled embedding. */
  float[] pooledText(String text) throws Exception;

  @Override
  void close();
}
