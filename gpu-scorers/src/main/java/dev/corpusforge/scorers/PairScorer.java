package dev.corpusforge.scorers;

import ai.djl.translate.TranslateException;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Scores image-caption pairs with a dual-encoder bundle: one forward pass of each encoder per batch
 * gives both the CLIP score (pooled embeddings) and the FILIP score (token-wise late interaction),
 * as CORPORA.md §1 defines them. One per thread ({@link #open}); the models are shared through the
 * {@link LoadedBundle}.
 */
public final class PairScorer implements AutoCloseable {
  private final TextEncoder text;
  private final ImageEncoder image;

  private PairScorer(TextEncoder text, ImageEncoder image) {
    this.text = text;
    this.image = image;
  }

  /** A scorer for the calling thread; the bundle needs both a text and an image encoder. */
  public static PairScorer open(LoadedBundle bundle) {
    TextEncoder t = bundle.textEncoder();
    try {
      return new PairScorer(t, bundle.imageEncoder());
    } catch (RuntimeException e) {
      t.close();
      throw e;
    }
  }

  /** An image (as {@link #preprocess} returns it) and its caption. */
  public record Pair(float[] pixels, String caption) {}

  /** The input tensor of one image for this bundle's image encoder. */
  public float[] preprocess(BufferedImage rgb) {
    return image.preprocess(rgb);
  }

  /**
   * Scores a batch in one forward pass per encoder.
   *
   * @param filipTopFraction FILIP's token selection: the fraction of tokens per side kept (1 = all)
   */
  public List<PairScores> score(List<Pair> pairs, double filipTopFraction)
      throws TranslateException {
    return score(pairs, filipTopFraction, false);
  }

  /**
   * Scores a batch in one forward pass per encoder; with {@code embeddings}, each pair's scores
   * also carry the normalised pooled embeddings they were computed from (no second pass).
   */
  public List<PairScores> score(List<Pair> pairs, double filipTopFraction, boolean embeddings)
      throws TranslateException {
    List<float[]> pixels = new ArrayList<>(pairs.size());
    List<String> captions = new ArrayList<>(pairs.size());
    for (Pair p : pairs) {
      pixels.add(p.pixels());
      captions.add(p.caption());
    }
    List<ImageEncoder.Encoded> images = image.encode(pixels);
    List<TextEncoder.Encoded> texts = text.encode(captions);
    boolean hasCls = image.spec().hasCls();
    List<PairScores> out = new ArrayList<>(pairs.size());
    for (int i = 0; i < pairs.size(); i++) {
      ImageEncoder.Encoded im = images.get(i);
      TextEncoder.Encoded tx = texts.get(i);
      if (realTokens(tx.mask()) == 0) {
        throw new IllegalArgumentException("caption " + i + " has no tokens for this tokenizer");
      }
      LateInteraction.FilipScore filip =
          LateInteraction.filip(im.tokens(), hasCls, tx.tokens(), tx.mask(), filipTopFraction);
      PairScores scores =
          PairScores.rounded(
              LateInteraction.clipScore(im.pooled(), tx.pooled()),
              filip.imageToText(),
              filip.textToImage(),
              filip.score());
      out.add(
          embeddings
              ? scores.withEmbeddings(
                  LateInteraction.normalised(im.pooled()), LateInteraction.normalised(tx.pooled()))
              : scores);
    }
    return out;
  }

  /**
   * The late-interaction similarity map of {@code caption} over the image's patch grid: per patch,
   * its best cosine with any real token of the caption ([CLS] dropped, patches in the encoder's
   * row-major order).
   */
  public SimilarityMap similarityMap(float[] pixels, String caption) throws TranslateException {
    ImageEncoder.Encoded im = image.encode(List.of(pixels)).get(0);
    TextEncoder.Encoded tx = text.encode(List.of(caption)).get(0);
    return SimilarityMap.square(
        LateInteraction.similarityMap(im.tokens(), image.spec().hasCls(), tx.tokens(), tx.mask()));
  }

  /** {@link #similarityMap} of one caption over many images, in one pass of each encoder. */
  public List<SimilarityMap> similarityMaps(List<float[]> pixels, String caption)
      throws TranslateException {
    TextEncoder.Encoded tx = text.encode(List.of(caption)).get(0);
    List<SimilarityMap> maps = new ArrayList<>(pixels.size());
    for (ImageEncoder.Encoded im : image.encode(pixels)) {
      maps.add(
          SimilarityMap.square(
              LateInteraction.similarityMap(
                  im.tokens(), image.spec().hasCls(), tx.tokens(), tx.mask())));
    }
    return maps;
  }

  /** Each image's pooled embedding, in one pass of the image encoder. */
  public List<float[]> pooledImages(List<float[]> pixels) throws TranslateException {
    List<float[]> pooled = new ArrayList<>(pixels.size());
    for (ImageEncoder.Encoded im : image.encode(pixels)) {
      pooled.add(im.pooled());
    }
    return pooled;
  }

  /** The caption's pooled embedding. */
  public float[] pooledText(String caption) throws TranslateException {
    return text.encode(List.of(caption)).get(0).pooled();
  }

  private static int realTokens(long[] mask) {
    int n = 0;
    for (long m : mask) {
      n += m != 0 ? 1 : 0;
    }
    return n;
  }

  @Override
  public void close() {
    text.close();
    image.close();
  }
}
