package dev.corpusforge.pipelines.regionentity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.corpusforge.annotators.region.BinaryMask;
import dev.corpusforge.annotators.region.CocoRle;
import dev.corpusforge.schemas.CocoRleMask;
import dev.corpusforge.schemas.RegionEntitySample;
import java.util.List;
import org.junit.jupiter.api.Test;

class MaskOvenExportTest {
  private static void fill(BinaryMask m, int x0, int y0, int w, int h) {
    for (int y = y0; y < y0 + h; y++) {
      for (int x = x0; x < x0 + w; x++) {
        m.set(x, y, true);
      }
    }
  }

  /** Two objects of 100 and 64 pixels and a 1-pixel speck on a 50 × 40 image. */
  private static RegionEntitySample twoObjectsAndASpeck() {
    BinaryMask mask = new BinaryMask(50, 40);
    fill(mask, 30, 20, 8, 8);
    fill(mask, 2, 3, 10, 10);
    mask.set(45, 2, true);
    CocoRle.Rle rle = CocoRle.encode(mask);
    return RegionEntitySample.newBuilder()
        .setSampleId("s1")
        .setSource("rows.jsonl#1")
        .setImage("/data/img.png")
        .setWidth(50)
        .setHeight(40)
        .setEntityId("Q388450")
        .setEntityName("Crow")
        .setEntityType(null)
        .setQuestion(null)
        .setSplit("entity")
        .setTextPrompt("bird Crow")
        .setMask(new CocoRleMask(List.of(rle.height(), rle.width()), rle.counts()))
        .setBbox(List.of(2, 2, 44, 26))
        .setArea(mask.area())
        .setScores(List.of())
        .setAgreementIou(0.8)
        .setGtIou(null)
        .build();
  }

  @Test
  void theConsensusMaskSplitsIntoRegionsLargestFirstWithCornerBoxes() {
    MaskOvenExport.Entry e =
        MaskOvenExport.entry(
            twoObjectsAndASpeck(), new RegionExports(List.of("maskoven"), 5, "val"), 0.0005);
    assertEquals(3, e.regions().size(), "at --min-area 0.0005, one pixel of 2,000 is kept");
    assertArrayEquals(new double[] {2, 3, 12, 13}, e.regions().get(0).corners());
    assertArrayEquals(new double[] {30, 20, 38, 28}, e.regions().get(1).corners());
    assertArrayEquals(new double[] {45, 2, 46, 3}, e.regions().get(2).corners());
    assertEquals(0, e.regionsLeftOut());
    assertEquals("entity_val", e.dataSplit());
    BinaryMask first = CocoRle.decode(new CocoRle.Rle(40, 50, e.regions().get(0).counts()));
    assertEquals(100, first.area());

    MaskOvenExport.Entry capped =
        MaskOvenExport.entry(twoObjectsAndASpeck(), new RegionExports(List.of(), 1, null), 0.001);
    assertEquals(1, capped.regions().size());
    assertEquals(2, capped.regionsLeftOut());
    assertEquals("entity", capped.dataSplit());

    MaskOvenExport.Entry noSpeck =
        MaskOvenExport.entry(twoObjectsAndASpeck(), new RegionExports(List.of(), 5, null), 0.001);
    assertEquals(2, noSpeck.regions().size(), "the speck is under 0.1 % of the image");
    assertEquals(1, noSpeck.regionsLeftOut());
  }

  @Test
  void settingsAreChecked() {
    assertThrows(
        IllegalArgumentException.class, () -> new RegionExports(List.of("coco", "lvis"), 5, null));
    assertThrows(IllegalArgumentException.class, () -> new RegionExports(List.of(), 0, null));
    assertThrows(IllegalArgumentException.class, () -> new RegionExports(List.of(), 1, "val seen"));
  }
}
