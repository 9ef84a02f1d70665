package dev.corpusforge.pipelines.som;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corpusforge.annotators.region.BinaryMask;
import dev.corpusforge.annotators.region.CocoRle;
import dev.corpusforge.annotators.region.MaskImages;
import dev.corpusforge.pipelines.cli.Forge;
import dev.corpusforge.pipelines.testing.OutputReader;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * som end to end on real clip-art scenes with COCO masks in all three encodings, plus hostile
 * images and masks, on embedded Flink, the default runner.
 */
class SomPipelineIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Path SCENES = Path.of("..", "samples", "region-entity");

  @TempDir Path tmp;

  /**
   * The ground truth's compressed-RLE mask of annotation {@code index} of image {@code imageId}.
   */
  static JsonNode truth(JsonNode gt, int imageId, int index) {
    int seen = 0;
    for (JsonNode a : gt.path("annotations")) {
      if (a.path("image_id").asInt() == imageId && seen++ == index) {
        return a.path("segmentation");
      }
    }
    throw new IllegalArgumentException("no annotation " + index + " of image " + imageId);
  }

  static BinaryMask decode(JsonNode seg) {
    return CocoRle.decode(
        new CocoRle.Rle(
            seg.path("size").get(0).asInt(),
            seg.path("size").get(1).asInt(),
            seg.path("counts").asText()));
  }

  static ArrayNode runs(BinaryMask m) {
    ArrayNode a = JSON.createArrayNode();
    for (long r : CocoRle.runs(m)) {
      a.add(r);
    }
    return a;
  }

  static ArrayNode rectangle(double x, double y, double w, double h) {
    ArrayNode polygons = JSON.createArrayNode();
    polygons.addArray().add(x).add(y).add(x + w).add(y).add(x + w).add(y + h).add(x).add(y + h);
    return polygons;
  }

  @Test
  void everyImageIsTaggedOrRejectedAndEveryMarkSitsInsideItsObject() throws Exception {
    JsonNode gt = JSON.readTree(SCENES.resolve("ground_truth.json").toFile());
    Path images = tmp.resolve("pictures");
    Files.createDirectories(images);
    for (int i = 1; i <= 12; i++) {
      String name = gt.path("images").get(i - 1).path("file_name").asText();
      Files.copy(SCENES.resolve(name), images.resolve("scene" + i + ".jpg"));
    }
    ObjectNode coco = JSON.createObjectNode();
    ArrayNode imgs = coco.putArray("images");
    for (int i = 1; i <= 11; i++) {
      imgs.addObject()
          .put("id", i)
          .put("file_name", "scene" + i + ".jpg")
          .put("width", 512)
          .put("height", 384);
    }
    imgs.addObject().put("id", 20).put("file_name", "missing.jpg"); // no such file
    imgs.addObject().put("id", 21); // no file_name
    imgs.addObject().put("id", 1).put("file_name", "scene12.jpg"); // id 1 again
    ArrayNode cats = coco.putArray("categories");
    cats.addObject().put("id", 1).put("name", "heart");
    cats.addObject().put("id", 2).put("name", "red\nkite");
    cats.addObject().put("id", 3).put("name", "y".repeat(10_000));
    cats.addObject().put("id", 4).put("name", "square");
    cats.addObject().put("id", 5).put("name", "sky");
    ArrayNode anns = coco.putArray("annotations");
    // scene 9 (three objects): compressed RLE as published
    for (int k = 0; k < 3; k++) {
      anns.addObject()
          .put("image_id", 9)
          .put("category_id", 1 + k)
          .set("segmentation", truth(gt, 9, k));
    }
    // scene 10 (three objects): the same kind of masks as uncompressed RLE
    for (int k = 0; k < 3; k++) {
      JsonNode seg = truth(gt, 10, k);
      ObjectNode u = JSON.createObjectNode();
      u.set("size", seg.path("size"));
      u.set("counts", runs(decode(seg)));
      anns.addObject().put("image_id", 10).put("category_id", 1).set("segmentation", u);
    }
    // scene 11: a polygon around the first object's box, and a polygon far larger than the image
    JsonNode box11 = JSON.valueToTree(decode(truth(gt, 11, 0)).bbox());
    anns.addObject()
        .put("image_id", 11)
        .put("category_id", 4)
        .set(
            "segmentation",
            rectangle(
                box11.get(0).asInt(),
                box11.get(1).asInt(),
                box11.get(2).asInt(),
                box11.get(3).asInt()));
    anns.addObject()
        .put("image_id", 11)
        .put("category_id", 5)
        .set("segmentation", rectangle(-1000, -1000, 5000, 5000));
    // scene 1: 500 masks of 12×12 pixels in a grid
    for (int k = 0; k < 500; k++) {
      anns.addObject()
          .put("image_id", 1)
          .put("category_id", 4)
          .set("segmentation", rectangle(4 + (k % 25) * 20, 4 + (k / 25) * 18, 12, 12));
    }
    // scene 2: an RLE larger than the image and an empty RLE → no usable mask
    ObjectNode large = JSON.createObjectNode();
    large.putArray("size").add(1000).add(1000);
    large.set("counts", runs(new BinaryMask(1000, 1000)));
    anns.addObject().put("image_id", 2).put("category_id", 1).set("segmentation", large);
    anns.addObject()
        .put("image_id", 2)
        .put("category_id", 1)
        .set("segmentation", runs2(new BinaryMask(512, 384)));
    // scene 3: one mask of 4×4 pixels: after scaling still under 110 pixels
    anns.addObject()
        .put("image_id", 3)
        .put("category_id", 1)
        .set("segmentation", rectangle(100, 100, 4, 4));
    // an annotation of no listed image, and one of no listed category
    anns.addObject()
        .put("image_id", 999)
        .put("category_id", 1)
        .set("segmentation", rectangle(0, 0, 50, 50));
    anns.addObject()
        .put("image_id", 4)
        .put("category_id", 77)
        .set("segmentation", rectangle(0, 0, 50, 50));
    // scene 5: garbage segmentation next to a real one
    anns.addObject().put("image_id", 5).put("category_id", 1).put("segmentation", "garbage");
    anns.addObject().put("image_id", 5).put("category_id", 1).set("segmentation", truth(gt, 5, 1));
    // scenes 4, 6, 7, 8: no annotations (4's only one has an unknown category)
    Path cocoFile = tmp.resolve("coco.json");
    JSON.writeValue(cocoFile.toFile(), coco);

    Path out = tmp.resolve("out");
    assertEquals(
        0,
        Forge.execute(
            "run",
            "som",
            "--coco",
            cocoFile.toString(),
            "--images",
            images.toString(),
            "--output",
            out.toString(),
            "--progress-seconds",
            "0"));

    JsonNode manifest = JSON.readTree(out.resolve("manifest.json").toFile());
    assertEquals(
        14, manifest.path("counts").path("inputs").asLong(), "every image entry is an input");
    assertTrue(
        manifest.path("accounting").path("balanced").asBoolean(),
        manifest.path("accounting").toString());
    Map<String, String> reasons = OutputReader.rejectReasonsByName(out.resolve("rejects"));
    assertEquals("image/image_unreadable", reasons.get("missing.jpg"));
    assertEquals("read/image_entry_invalid", reasons.get("coco.json#21"));
    assertEquals("read/duplicate_image_id", reasons.get("coco.json#@14"));
    assertEquals("marks/no_masks", reasons.get("scene2.jpg"));
    assertEquals("marks/no_marks", reasons.get("scene3.jpg"));
    for (String empty : List.of("scene4.jpg", "scene6.jpg", "scene7.jpg", "scene8.jpg")) {
      assertEquals("marks/no_masks", reasons.get(empty), empty);
    }
    JsonNode marks = manifest.path("marks");
    assertEquals(
        1, marks.path("masks_dropped").path("mask_size_mismatch").asLong(), marks.toString());
    assertEquals(1, marks.path("masks_dropped").path("mask_empty").asLong(), marks.toString());
    assertEquals(1, marks.path("masks_dropped").path("mask_invalid").asLong(), marks.toString());
    assertEquals(
        1, marks.path("masks_dropped").path("annotation_unknown_image").asLong(), marks.toString());
    assertEquals(
        1,
        marks.path("masks_dropped").path("annotation_unknown_category").asLong(),
        marks.toString());
    assertEquals(1, marks.path("labels_cut").asLong());

    List<Map<String, Object>> rows = OutputReader.parquetRows(out.resolve("data"));
    assertEquals(5, rows.size(), "scenes 1, 5, 9, 10, 11");
    OutputReader.assertImagesDeclared(out.resolve("data"));
    JsonNode llava = JSON.readTree(out.resolve("exports/llava/som_listing.json").toFile());
    assertEquals(5, llava.size());
    Map<String, JsonNode> records = new HashMap<>();
    llava.forEach(r -> records.put(r.path("id").asText(), r));
    for (Map<String, Object> row : rows) {
      String source = (String) row.get("source");
      int scene = Integer.parseInt(source.replaceAll(".*scene(\\d+)\\.jpg", "$1"));
      int width = (Integer) row.get("width");
      int height = (Integer) row.get("height");
      assertEquals(640, Math.min(width, height), "shorter side 640");
      BufferedImage tagged = ImageIO.read(new ByteArrayInputStream(OutputReader.imageBytes(row)));
      assertEquals(width, tagged.getWidth());
      assertEquals(height, tagged.getHeight());
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> list = (List<Map<String, Object>>) row.get("marks");
      BinaryMask taken = new BinaryMask(width, height);
      StringBuilder listing = new StringBuilder();
      for (int i = 0; i < list.size(); i++) {
        Map<String, Object> m = list.get(i);
        assertEquals(i + 1, m.get("id"), "ids consecutive from 1");
        @SuppressWarnings("unchecked")
        Map<String, Object> rle = (Map<String, Object>) m.get("mask");
        @SuppressWarnings("unchecked")
        List<Integer> size = (List<Integer>) rle.get("size");
        BinaryMask mask =
            CocoRle.decode(new CocoRle.Rle(size.get(0), size.get(1), (String) rle.get("counts")));
        assertEquals(((Long) m.get("area")).longValue(), mask.area());
        assertTrue(mask.area() >= 110);
        assertTrue(
            mask.get((Integer) m.get("x"), (Integer) m.get("y")),
            "anchor inside its de-overlapped mask");
        assertTrue(mask.and(taken).isEmpty(), "marks never overlap");
        taken = taken.or(mask);
        listing.append(i == 0 ? "" : "\n").append(i + 1).append(". ").append(m.get("label"));
      }
      assertEquals(listing.toString(), row.get("listing"));
      if (scene == 9 || scene == 10 || scene == 5) {
        // every mark sits inside its ground-truth object
        int objects = scene == 5 ? 1 : 3;
        for (int i = 0; i < list.size(); i++) {
          boolean inside = false;
          for (int k = scene == 5 ? 1 : 0; k < (scene == 5 ? 2 : objects); k++) {
            BinaryMask object = MaskImages.resize(decode(truth(gt, scene, k)), width, height);
            inside |= object.get((Integer) list.get(i).get("x"), (Integer) list.get(i).get("y"));
          }
          assertTrue(inside, "scene " + scene + " mark " + (i + 1));
        }
        assertEquals(objects, list.size());
      }
      if (scene == 1) {
        assertEquals(500, list.size(), "500 masks, 500 marks");
      }
      if (scene == 9) {
        assertTrue(
            row.get("listing").toString().contains(". red kite"),
            "a label's newline becomes a space");
        assertTrue(
            row.get("listing").toString().contains(". " + "y".repeat(99) + "…"),
            "a 10 KB label is cut");
      }
      if (scene == 11) {
        assertEquals(2, list.size());
        assertEquals(
            "sky",
            list.get(1).get("label"),
            "the mask larger than the image is clipped, numbered last, and loses what the square took");
        assertEquals(
            (long) width * height - (Long) list.get(0).get("area"), (Long) list.get(1).get("area"));
      }
      // the LLaVA record, as LLaVA's LazySupervisedDataset reads it
      JsonNode record = records.get((String) row.get("sample_id"));
      assertEquals(JSON.readTree((String) row.get("conversation")), record);
      assertEquals("images/" + row.get("sample_id") + ".jpg", record.path("image").asText());
      assertTrue(
          Files.isRegularFile(out.resolve("exports/llava").resolve(record.path("image").asText())));
      JsonNode turns = record.path("conversations");
      assertEquals(2, turns.size());
      assertEquals("human", turns.get(0).path("from").asText());
      assertTrue(turns.get(0).path("value").asText().startsWith("<image>\n"));
      assertEquals(
          row.get("instruction"),
          turns.get(0).path("value").asText().substring("<image>\n".length()));
      assertEquals("gpt", turns.get(1).path("from").asText());
      assertEquals(row.get("listing"), turns.get(1).path("value").asText());
    }
  }

  private static JsonNode runs2(BinaryMask empty) {
    ObjectNode n = JSON.createObjectNode();
    n.putArray("size").add(empty.height()).add(empty.width());
    n.put("counts", CocoRle.encode(empty).counts());
    return n;
  }
}
