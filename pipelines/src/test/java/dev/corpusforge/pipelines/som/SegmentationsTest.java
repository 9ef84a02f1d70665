package dev.corpusforge.pipelines.som;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.corpusforge.annotators.region.BinaryMask;
import dev.corpusforge.annotators.region.CocoRle;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The three COCO encodings of one mask decode to the same pixels; bad ones name their reason. */
class SegmentationsTest {
  @Test
  void polygonsUncompressedAndCompressedRleAgree() throws Exception {
    BinaryMask fromPolygon = Segmentations.decode("[[4, 3, 20, 3, 20, 11, 4, 11]]", 32, 16);
    assertEquals(16 * 8, fromPolygon.area());
    long[] runs = CocoRle.runs(fromPolygon);
    String uncompressed =
        "{\"size\": [16, 32], \"counts\": ["
            + Arrays.stream(runs).mapToObj(Long::toString).collect(Collectors.joining(", "))
            + "]}";
    String compressed =
        "{\"size\": [16, 32], \"counts\": \"" + CocoRle.countsToString(runs) + "\"}";
    assertEquals(fromPolygon, Segmentations.decode(uncompressed, 32, 16));
    assertEquals(fromPolygon, Segmentations.decode(compressed, 32, 16));
  }

  @Test
  void eachBadSegmentationHasItsReason() {
    assertEquals(
        SomReasons.MASK_SIZE_MISMATCH,
        reason("{\"size\": [1000, 1000], \"counts\": \"PPYo1\"}", 32, 16),
        "an RLE larger than the image");
    assertEquals(
        SomReasons.MASK_INVALID,
        reason("{\"size\": [16, 32], \"counts\": [10, 10]}", 32, 16),
        "runs not covering the frame");
    assertEquals(
        SomReasons.MASK_INVALID, reason("{\"size\": [16, 32], \"counts\": [600, -88]}", 32, 16));
    assertEquals(
        SomReasons.MASK_INVALID,
        reason("{\"size\": [16, 32], \"counts\": \"\\u0001\\u0002\"}", 32, 16));
    assertEquals(
        SomReasons.MASK_INVALID,
        reason("[[1, 2, 3]]", 32, 16),
        "a polygon of one and a half points");
    assertEquals(SomReasons.MASK_INVALID, reason("[]", 32, 16));
    assertEquals(SomReasons.MASK_INVALID, reason("[[\"a\", 1, 2, 3, 4, 5]]", 32, 16));
    assertEquals(SomReasons.MASK_INVALID, reason("\"hello\"", 32, 16));
    assertEquals(SomReasons.MASK_INVALID, reason("{not json", 32, 16));
    assertEquals(SomReasons.MASK_INVALID, reason("null", 32, 16));
  }

  private static String reason(String json, int w, int h) {
    return assertThrows(Segmentations.Invalid.class, () -> Segmentations.decode(json, w, h)).reason;
  }
}
