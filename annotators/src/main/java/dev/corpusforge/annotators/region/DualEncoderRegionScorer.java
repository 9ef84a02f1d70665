package dev.corpusforge.annotators.region;

import dev.corpusforge.scorers.LoadedBundle;
import dev.corpusforge.scorers.PairScorer;
import dev.corpusforge.scorers.SimilarityMap;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link RegionScorer} on a dual-encoder bundle (gpu-scorers), one forward pass per call and tower.
 */
public final class DualEncoderRegionScorer implements RegionScorer {
  private final PairScorer scorer;

  public DualEncoderRegionScorer(LoadedBundle bundle) {
    this.scorer = PairScorer.open(bundle);
  }

  @Override
  public List<SimilarityMap> maps(List<BufferedImage> squares, String text) throws Exception {
    return scorer.similarityMaps(tensors(squares), text);
  }

  @Override
  public List<float[]> pooledImages(List<BufferedImage> images) throws Exception {
    return scorer.pooledImages(tensors(images));
  }

  @Override
  public float[] pooledText(String text) throws Exception {
    return scorer.pooledText(text);
  }

  private List<float[]> tensors(List<BufferedImage> images) {
    List<float[]> out = new ArrayList<>(images.size());
    for (BufferedImage image : images) {
      out.add(scorer.preprocess(image));
    }
    return out;
  }

  @Override
  public void close() {
    scorer.close();
  }
}
