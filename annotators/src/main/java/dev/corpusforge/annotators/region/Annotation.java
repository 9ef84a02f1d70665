package dev.corpusforge.annotators.region;

/**
 * One annotator's answer for an image and a text prompt: a mask (null when it found no region) and
 * a score on the annotator's own scale.
 */
public record Annotation(String annotator, BinaryMask mask, double score)
    implements java.io.Serializable {
  public static Annotation none(String annotator) {
    return new Annotation(annotator, null, Double.NaN);
  }

  public boolean found() {
    return mask != null && !mask.isEmpty();
  }
}
