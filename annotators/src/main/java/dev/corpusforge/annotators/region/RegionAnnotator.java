package dev.corpusforge.annotators.region;

import java.awt.image.BufferedImage;

/** Finds the region of an RGB image that a text prompt names. Not thread-safe: one per thread. */
public interface RegionAnnotator {
  /**
   * The name written into rows and the manifest ({@code similarity}, {@code proposals}, {@code
   * detector}).
   */
  String name();

  Annotation annotate(BufferedImage rgb, String prompt) throws Exception;
}
