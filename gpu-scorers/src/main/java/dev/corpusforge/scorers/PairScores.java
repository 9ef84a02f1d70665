package dev.corpusforge.scorers;

import java.io.Serializable;

/**
 * The alignment scores of one image-caption pair (CORPORA.md §1), all on L2-normalised features,
 * rounded to {@value #DECIMALS} decimals ({@link #rounded}).
 *
 * @param clip cosine of the pooled image and text embeddings
 * @param filipImageToText FILIP's s_I: mean over patches of the best real text token
 * @param filipTextToImage FILIP's s_T: mean over real text tokens of the best patch
 * @param filip {@code (s_I + s_T) / 2}
 * @param imageEmbedding the L2-normalised pooled image embedding the CLIP score is computed from,
 *     when asked for ({@link #withEmbeddings}); else null
 * @param textEmbedding the same for the caption
 */
public record PairScores(
    double clip,
    double filipImageToText,
    double filipTextToImage,
    double filip,
    float[] imageEmbedding,
    float[] textEmbedding)
    implements Serializable {

  /** Scores without embeddings. */
  public PairScores(double clip, double filipImageToText, double filipTextToImage, double filip) {
    this(clip, filipImageToText, filipTextToImage, filip, null, null);
  }

  /** These scores with the pair's normalised embeddings. */
  public PairScores withEmbeddings(float[] image, float[] text) {
    return new PairScores(clip, filipImageToText, filipTextToImage, filip, image, text);
  }

  /** Whether every score, and every component of the embeddings carried, is a finite number. */
  public boolean finite() {
    return Double.isFinite(clip)
        && Double.isFinite(filip)
        && finite(imageEmbedding)
        && finite(textEmbedding);
  }

  /**
   * The scores as a reject's detail names them: the same text for the same scores whatever else the
   * record carries (a record's {@code toString} would print the embeddings' array identities).
   */
  public String describe() {
    return "clip "
        + clip
        + ", filip "
        + filip
        + (finite(imageEmbedding) && finite(textEmbedding) ? "" : ", an embedding not finite");
  }

  private static boolean finite(float[] v) {
    if (v != null) {
      for (float x : v) {
        if (!Float.isFinite(x)) {
          return false;
        }
      }
    }
    return true;
  }

  public static final int DECIMALS = 6;

  /**
   * Scores rounded to {@value #DECIMALS} decimals. The encoders compute in float32 and their matrix
   * kernels may round the last bit differently for different batch shapes, so the same pair can
   * come out a few 1e-9 apart depending on which pairs shared its batch; six decimals are more than
   * any threshold needs and make a pair's written score the same whichever runner or batch size
   * scored it.
   */
  public static PairScores rounded(
      double clip, double imageToText, double textToImage, double filip) {
    return new PairScores(round(clip), round(imageToText), round(textToImage), round(filip));
  }

  static double round(double v) {
    return Double.isFinite(v) ? Math.round(v * 1e6) / 1e6 : v;
  }
}
