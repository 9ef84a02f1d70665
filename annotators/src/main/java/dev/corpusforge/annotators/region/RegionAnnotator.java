package dev.corpusforge.annotators.region;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/** Finds the region of an RGB image that a text prompt names. Not thread-safe: one per thread. */
public interface RegionAnnotator {
  /**
   * The name written into rows and the manifest ({@code similarity}, {@code proposals}, {@code
   * detector}).
   */
  String name();

  Annotation annotate(BufferedImage rgb, String prompt) throws Exception;

  /**
   * The annotation of each image for its prompt, in order. By default one image after the other; an
   * annotator may share its encoder calls across the images. Throws if any image fails.
   */
  default List<Annotation> annotateAll(List<BufferedImage> rgbs, List<String> prompts)
      throws Exception {
    List<Annotation> out = new ArrayList<>(rgbs.size());
    for (int i = 0; i < rgbs.size(); i++) {
      out.add(annotate(rgbs.get(i), prompts.get(i)));
    }
    return out;
  }
}
