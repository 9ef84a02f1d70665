package dev.corpusforge.pipelines.som;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corpusforge.annotators.region.BinaryMask;
import dev.corpusforge.annotators.region.CocoRle;
import dev.corpusforge.annotators.som.PolygonMasks;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * COCO segmentations in the three encodings pycocotools reads, as masks of the image they belong
 * to: polygons ({@code [[x1, y1, …], …]}, filled), uncompressed RLE ({@code {size, counts:
 * [ints]}}) and compressed RLE ({@code {size, counts: "…"}}). An RLE whose size is not the image's
 * is {@code mask_size_mismatch}; anything else that does not decode is {@code mask_invalid}.
 */
final class Segmentations {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Why a segmentation gave no mask. */
  static final class Invalid extends Exception {
    final String reason;

    Invalid(String reason, String detail) {
      super(detail);
      this.reason = reason;
    }
  }

  private Segmentations() {}

  static BinaryMask decode(String segmentation, int width, int height) throws Invalid {
    JsonNode seg;
    try {
      seg = JSON.readTree(segmentation);
    } catch (IOException e) {
      throw new Invalid(SomReasons.MASK_INVALID, "segmentation is not JSON");
    }
    if (seg != null && seg.isArray()) {
      return polygons(seg, width, height);
    }
    if (seg == null
        || !seg.isObject()
        || !seg.path("size").isArray()
        || seg.path("size").size() != 2) {
      throw new Invalid(SomReasons.MASK_INVALID, "neither polygons nor an RLE with size [h, w]");
    }
    int h = seg.path("size").path(0).asInt(-1);
    int w = seg.path("size").path(1).asInt(-1);
    if (h != height || w != width) {
      throw new Invalid(
          SomReasons.MASK_SIZE_MISMATCH,
          "RLE size ["
              + seg.path("size").path(0)
              + ", "
              + seg.path("size").path(1)
              + "], image ["
              + height
              + ", "
              + width
              + "]");
    }
    JsonNode counts = seg.path("counts");
    long[] runs;
    if (counts.isTextual()) {
      try {
        runs = CocoRle.countsFromString(counts.asText());
      } catch (RuntimeException e) {
        throw new Invalid(
            SomReasons.MASK_INVALID, "compressed RLE does not decode: " + e.getMessage());
      }
    } else if (counts.isArray()) {
      runs = new long[counts.size()];
      for (int i = 0; i < runs.length; i++) {
        if (!counts.get(i).canConvertToLong() || counts.get(i).asLong() < 0) {
          throw new Invalid(
              SomReasons.MASK_INVALID,
              "uncompressed RLE count " + i + " is not a non-negative integer");
        }
        runs[i] = counts.get(i).asLong();
      }
    } else {
      throw new Invalid(SomReasons.MASK_INVALID, "RLE counts are neither a string nor a list");
    }
    try {
      return CocoRle.fromRuns(height, width, runs);
    } catch (RuntimeException e) {
      throw new Invalid(
          SomReasons.MASK_INVALID,
          "RLE runs do not fit " + height + "×" + width + ": " + e.getMessage());
    }
  }

  private static BinaryMask polygons(JsonNode seg, int width, int height) throws Invalid {
    List<double[]> polygons = new ArrayList<>();
    for (JsonNode p : seg) {
      if (!p.isArray()) {
        throw new Invalid(SomReasons.MASK_INVALID, "a polygon is not a list of coordinates");
      }
      double[] xy = new double[p.size()];
      for (int i = 0; i < xy.length; i++) {
        if (!p.get(i).isNumber()) {
          throw new Invalid(SomReasons.MASK_INVALID, "a polygon coordinate is not a number");
        }
        xy[i] = p.get(i).asDouble();
      }
      polygons.add(xy);
    }
    if (polygons.isEmpty()) {
      throw new Invalid(SomReasons.MASK_INVALID, "no polygon");
    }
    try {
      return PolygonMasks.fill(polygons, width, height);
    } catch (IllegalArgumentException e) {
      throw new Invalid(SomReasons.MASK_INVALID, e.getMessage());
    }
  }
}
