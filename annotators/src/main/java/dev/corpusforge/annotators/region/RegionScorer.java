package dev.corpusforge.annotators.region;

import dev.corpusforge.scorers.SimilarityMap;
import java.awt.image.BufferedImage;
import java.util.List;

/** What the region annotators ask of a dual encoder, for one text at a time. Not thread-safe. */
public interface RegionScorer extends AutoCloseable {
  /** The text's per-patch late-interaction map over each square RGB image. */
  List<SimilarityMap> maps(List<BufferedImage> squares, String text) throws Exception;

  /** The cosine of each RGB image's pooled embedding with each text's, [image][text]. */
  double[][] scores(List<BufferedImage> images, List<String> texts) throws Exception;

  @Override
  void close();
}
