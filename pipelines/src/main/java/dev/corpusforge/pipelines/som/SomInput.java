package dev.corpusforge.pipelines.som;

import java.io.Serializable;
import java.util.List;

/**
 * One image to tag and its instance masks as read.
 *
 * @param source the image's location, resolved
 * @param masks masks in input order; empty with {@code --auto-masks}
 */
record SomInput(String sampleId, String source, List<Mask> masks) implements Serializable {
  /**
   * @param label the mask's label as written (null when the input has none)
   * @param segmentation the COCO segmentation as JSON: polygons, uncompressed or compressed RLE
   */
  record Mask(String label, String segmentation) implements Serializable {}

  SomInput {
    masks = List.copyOf(masks);
  }
}
