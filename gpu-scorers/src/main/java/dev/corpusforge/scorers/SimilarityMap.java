package dev.corpusforge.scorers;

/**
 * A text's late-interaction map over an image's patch grid: per patch, the best cosine between the
 * patch and any real token of the text, row-major ({@code value(row, col)}). Later stages upsample
 * it to pixels to ground a phrase in the image.
 */
public record SimilarityMap(int rows, int cols, float[] values) {
  public SimilarityMap {
    if (rows * cols != values.length) {
      throw new IllegalArgumentException(
          rows + "×" + cols + " grid for " + values.length + " values");
    }
  }

  /**
   * The map of {@code values} laid on a square grid (patch encoders of square inputs); one row when
   * the count is not a square.
   */
  public static SimilarityMap square(float[] values) {
    int side = (int) Math.round(Math.sqrt(values.length));
    return side * side == values.length
        ? new SimilarityMap(side, side, values)
        : new SimilarityMap(1, values.length, values);
  }

  public float value(int row, int col) {
    return values[row * cols + col];
  }
}
