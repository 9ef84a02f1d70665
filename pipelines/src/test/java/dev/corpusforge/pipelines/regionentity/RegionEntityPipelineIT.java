package dev.corpusforge.pipelines.regionentity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corpusforge.annotators.region.BinaryMask;
import dev.corpusforge.annotators.region.CocoRle;
import dev.corpusforge.pipelines.cli.Forge;
import dev.corpusforge.pipelines.testing.CorruptParquet;
import dev.corpusforge.pipelines.testing.OutputReader;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * region-entity end to end on real clip-art scenes plus every kind of bad row, on embedded Flink,
 * the default runner.
 */
class RegionEntityPipelineIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path SCENES = Path.of("..", "samples", "region-entity");
  private static final Path HOSTILE = Path.of("..", "testdata", "hostile");
  private static final Path BUNDLE = Path.of("..", "samples", "models", "clipart-dual-encoder");

  @TempDir Path tmp;

  private String row(String image, String id, String name, String type, String question)
      throws Exception {
    ObjectNode n = JSON.createObjectNode();
    if (image != null) {
      n.put("image", image);
    }
    if (id != null) {
      n.put("entity_id", id);
    }
    if (name != null) {
      n.put("entity_name", name);
    }
    if (type != null) {
      n.put("entity_type", type);
    }
    if (question != null) {
      n.put("question", question);
    }
    return JSON.writeValueAsString(n) + "\n";
  }

  @Test
  void everyRowIsAMaskOrARejectWithItsReason() throws Exception {
    Files.createDirectories(tmp.resolve("images"));
    List<JsonNode> real = new ArrayList<>();
    for (String line : Files.readAllLines(SCENES.resolve("rows.jsonl"))) {
      JsonNode r = JSON.readTree(line);
      if (r.get("objects").asInt() == 1 && real.size() < 3) {
        real.add(r);
        Files.copy(SCENES.resolve(r.get("image").asText()), tmp.resolve(r.get("image").asText()));
      }
    }
    BufferedImage dot = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
    ImageIO.write(dot, "png", tmp.resolve("images/dot.png").toFile());
    StringBuilder rows = new StringBuilder();
    // rows 1-3: real scenes, no type (the KB gives it); row 3 also asks a question
    rows.append(
        row(
            real.get(0).get("image").asText(),
            real.get(0).get("entity_id").asText(),
            real.get(0).get("entity_name").asText(),
            null,
            null));
    rows.append(
        row(
            real.get(1).get("image").asText(),
            real.get(1).get("entity_id").asText(),
            real.get(1).get("entity_name").asText(),
            null,
            null));
    rows.append(
        row(
            real.get(2).get("image").asText(),
            real.get(2).get("entity_id").asText(),
            real.get(2).get("entity_name").asText(),
            null,
            "what is shown here?"));
    rows.append(row("images/missing.jpg", "Q1", "Nothing", "thing", null)); // 4
    rows.append(
        row(
            HOSTILE.resolve("html-page.jpg").toAbsolutePath().toString(),
            "Q2",
            "Page",
            "thing",
            null)); // 5
    rows.append(
        row(
            HOSTILE.resolve("bomb-header.png").toAbsolutePath().toString(),
            "Q3",
            "Bomb",
            "thing",
            null)); // 6
    rows.append(row("images/dot.png", "Q4", "Dot", "thing", null)); // 7
    rows.append(row("images/dot.png", "Q5", "", "thing", null)); // 8
    rows.append(row("images/dot.png", "Q6", "x".repeat(10_000), "thing", null)); // 9
    rows.append(row(null, "Q7", "No image", "thing", null)); // 10
    rows.append(row("images/dot.png", null, "No id", "thing", null)); // 11
    rows.append("{not json\n"); // 12
    rows.append(row("http://127.0.0.1:9/private.jpg", "Q8", "Private", "thing", null)); // 13
    rows.append(
        row(
            HOSTILE.resolve("truncated.jpg").toAbsolutePath().toString(),
            "Q9",
            "Cut",
            "thing",
            null)); // 14
    Files.writeString(tmp.resolve("rows.jsonl"), rows, StandardCharsets.UTF_8);
    Files.copy(SCENES.resolve("kb.jsonl"), tmp.resolve("kb.jsonl"));
    Files.copy(SCENES.resolve("ground_truth.json"), tmp.resolve("ground_truth.json"));

    org.apache.avro.Schema rowSchema =
        org.apache.avro.SchemaBuilder.record("Row")
            .fields()
            .requiredString("image")
            .requiredString("entity_id")
            .requiredString("entity_name")
            .endRecord();
    List<Path> corrupt =
        CorruptParquet.write(
            tmp.resolve("tables"),
            rowSchema,
            List.of(
                new org.apache.avro.generic.GenericRecordBuilder(rowSchema)
                    .set("image", "images/dot.png")
                    .set("entity_id", "Q0")
                    .set("entity_name", "Dot")
                    .build()));
    Path out = tmp.resolve("out");
    List<String> args =
        List.of(
            "run",
            "region-entity",
            "--input",
            tmp.resolve("rows.jsonl").toString(),
            "--input",
            corrupt.get(0).toString(),
            "--input",
            corrupt.get(1).toString(),
            "--kb",
            tmp.resolve("kb.jsonl").toString(),
            "--model",
            BUNDLE.toString(),
            "--ground-truth",
            tmp.resolve("ground_truth.json").toString(),
            "--output",
            out.toString(),
            "--progress-seconds",
            "0",
            "--min-agreement",
            "0",
            "--consensus",
            "union",
            "--min-area",
            "0",
            "--max-area",
            "1",
            "--cache",
            tmp.resolve("cache").toString());
    assertEquals(0, Forge.execute(args.toArray(String[]::new)));

    JsonNode manifest = JSON.readTree(out.resolve("manifest.json").toFile());
    assertEquals(
        16,
        manifest.path("counts").path("inputs").asLong(),
        "14 rows and 2 Parquet tables that cannot be read");
    assertTrue(
        manifest.path("accounting").path("balanced").asBoolean(),
        manifest.path("accounting").toString());
    assertTrue(Files.exists(out.resolve("_SUCCESS")));
    Map<String, String> reasons = OutputReader.rejectReasonsByName(out.resolve("rejects"));
    assertEquals("image/image_unreadable", reasons.get("rows.jsonl#4"));
    assertEquals("image/image_unknown_format", reasons.get("rows.jsonl#5"));
    assertEquals("image/image_too_many_pixels", reasons.get("rows.jsonl#6"));
    assertEquals("image/min_side", reasons.get("rows.jsonl#7"));
    assertEquals("row/entity_name_empty", reasons.get("rows.jsonl#8"));
    assertEquals("row/entity_name_too_long", reasons.get("rows.jsonl#9"));
    assertEquals("row/image_missing", reasons.get("rows.jsonl#10"));
    assertEquals("row/entity_id_missing", reasons.get("rows.jsonl#11"));
    assertEquals("read/malformed_row", reasons.get("rows.jsonl#12"));
    assertEquals("read/malformed_file", reasons.get(CorruptParquet.TRUNCATED + "#@1"));
    assertEquals("read/malformed_file", reasons.get(CorruptParquet.WRONG_MAGIC + "#@1"));
    assertEquals("image/fetch_address_refused", reasons.get("rows.jsonl#13"));
    assertTrue(
        reasons.get("rows.jsonl#14").startsWith("image/image_"), reasons.get("rows.jsonl#14"));
    for (String ref : List.of("rows.jsonl#1", "rows.jsonl#2", "rows.jsonl#3")) {
      assertEquals(
          null, reasons.get(ref), ref + ": with any agreement accepted, each real scene is a mask");
    }

    JsonNode annotation = manifest.path("annotation");
    assertEquals(3, annotation.path("attempted").asLong());
    assertEquals(3, annotation.path("evaluation").path("attempted").asLong());
    assertEquals(
        3,
        annotation
            .path("evaluation")
            .path("by_objects_in_image")
            .path("1")
            .path("attempted")
            .asLong());

    List<Map<String, Object>> kept = OutputReader.parquetRows(out.resolve("data"));
    JsonNode coco = JSON.readTree(out.resolve("exports/coco/annotations.json").toFile());
    assertEquals(kept.size(), coco.path("annotations").size());
    assertEquals(kept.size(), annotation.path("kept").asLong());
    Map<Integer, JsonNode> images = new HashMap<>();
    coco.path("images").forEach(i -> images.put(i.path("id").asInt(), i));
    for (JsonNode a : coco.path("annotations")) {
      JsonNode image = images.get(a.path("image_id").asInt());
      JsonNode seg = a.path("segmentation");
      assertEquals(image.path("height").asInt(), seg.path("size").get(0).asInt());
      BinaryMask mask = jsonMask(seg);
      assertEquals(a.path("area").asLong(), mask.area());
      assertArrayEquals(
          mask.bbox(),
          new int[] {
            a.path("bbox").get(0).asInt(),
            a.path("bbox").get(1).asInt(),
            a.path("bbox").get(2).asInt(),
            a.path("bbox").get(3).asInt()
          });
      assertTrue(
          a.path("text_prompt").asText().contains(" "),
          "the type from the KB goes before the name: " + a.path("text_prompt"));
    }
    assertEquals(3, kept.size(), "the three real scenes");
    JsonNode truth = JSON.readTree(tmp.resolve("ground_truth.json").toFile());
    for (Map<String, Object> r : kept) {
      assertTrue(
          ((String) r.get("image")).startsWith(tmp.toString()),
          "relative images resolve against their table");
      double want =
          iouWithTruth(
              truth,
              tmp.relativize(Path.of((String) r.get("image"))).toString(),
              (String) r.get("entity_id"),
              (Map<?, ?>) r.get("mask"));
      assertEquals(want, (Double) r.get("gt_iou"), 1e-3, "gt_iou of " + r.get("source"));
    }
    assertTrue(
        kept.stream().anyMatch(r -> (Double) r.get("gt_iou") > 0), "some mask overlaps its object");

    // the three real scenes' answers, two annotators each, were kept in the run cache: a second
    // run into another output makes no annotator call and writes the same rows
    JsonNode counters = manifest.path("metrics").path("counters");
    assertEquals(6, counters.path("cache/annotations_stored").asLong(), counters.toString());
    Path again = tmp.resolve("again");
    List<String> againArgs = new ArrayList<>(args);
    againArgs.set(againArgs.indexOf(out.toString()), again.toString());
    // the second run writes the MaskOVEN export instead of COCO: the exports change, not the rows
    againArgs.addAll(
        List.of("--export", "maskoven", "--max-regions", "3", "--data-split", "val_seen"));
    assertEquals(0, Forge.execute(againArgs.toArray(String[]::new)));
    assertTrue(Files.notExists(again.resolve("exports/coco")));
    checkMaskOven(again, OutputReader.parquetRows(again.resolve("data")), 3);
    JsonNode second = JSON.readTree(again.resolve("manifest.json").toFile()).path("metrics");
    assertEquals(
        6, second.path("counters").path("cache/annotations_hits").asLong(), second.toString());
    assertEquals(0, second.path("counters").path("cache/annotations_misses").asLong());
    assertEquals(0, second.path("counters").path("cache/annotations_stored").asLong());
    assertEquals(
        new java.util.HashSet<>(kept),
        new java.util.HashSet<>(OutputReader.parquetRows(again.resolve("data"))));
    assertEquals(reasons, OutputReader.rejectReasonsByName(again.resolve("rejects")));
  }

  /**
   * The MaskOVEN export, field by field against a record of the released layout (the example record
   * of the dataset's own repository README, PL-VEL, with its elided RLE counts filled in): the same
   * field names, each of the same JSON type ({@code question} is null on a row without one). Then
   * its content against the kept rows: ids as COCO() indexes them, one corner box and one label per
   * region, and the regions OR-merged give back the row's consensus mask.
   */
  private static void checkMaskOven(Path out, List<Map<String, Object>> kept, int maxRegions)
      throws Exception {
    JsonNode released;
    try (var in =
        RegionEntityPipelineIT.class.getResourceAsStream("/maskoven/released-record.json")) {
      released = JSON.readTree(in);
    }
    JsonNode export = JSON.readTree(out.resolve("exports/maskoven/annotations.json").toFile());
    assertEquals(fieldNames(released), fieldNames(export));
    for (String part : List.of("images", "categories", "annotations")) {
      JsonNode want = released.path(part).get(0);
      assertEquals(kept.isEmpty() ? 0 : 1, Math.min(1, export.path(part).size()), part);
      for (JsonNode got : export.path(part)) {
        assertEquals(fieldNames(want), fieldNames(got), part);
        want.fieldNames()
            .forEachRemaining(
                f -> {
                  boolean nullQuestion = f.equals("question") && got.path(f).isNull();
                  assertTrue(
                      nullQuestion || want.path(f).getNodeType() == got.path(f).getNodeType(),
                      part + "." + f + ": " + got.path(f));
                });
      }
    }
    assertEquals(kept.size(), export.path("annotations").size());
    long regionsListed = 0;
    for (JsonNode a : export.path("annotations")) {
      regionsListed += a.path("segmentation").size();
    }
    JsonNode counted =
        JSON.readTree(out.resolve("manifest.json").toFile()).path("exports").path("maskoven");
    assertEquals(kept.size(), counted.path("samples").asInt(), counted.toString());
    assertEquals(regionsListed, counted.path("regions").asLong(), counted.toString());
    Map<String, JsonNode> images = new HashMap<>();
    export.path("images").forEach(i -> images.put(i.path("id").asText(), i));
    java.util.Set<String> categories = new java.util.HashSet<>();
    export.path("categories").forEach(c -> categories.add(c.path("id").asText()));
    Map<String, JsonNode> byId = new HashMap<>();
    export.path("annotations").forEach(a -> byId.put(a.path("id").asText(), a));
    for (Map<String, Object> row : kept) {
      JsonNode a = byId.get((String) row.get("sample_id"));
      assertTrue(a != null, "an annotation per kept row: " + row.get("sample_id"));
      assertEquals(row.get("entity_id"), a.path("category_id").asText());
      assertTrue(categories.contains(a.path("category_id").asText()));
      JsonNode image = images.get(a.path("image_id").asText());
      assertEquals(row.get("image"), image.path("file_name").asText());
      assertEquals(row.get("split") + "_val_seen", a.path("data_split").asText());
      assertEquals(
          row.get("question"), a.path("question").isNull() ? null : a.path("question").asText());
      assertEquals(row.get("text_prompt"), a.path("text_prompt").asText());
      int regions = a.path("segmentation").size();
      assertTrue(regions >= 1 && regions <= maxRegions, a.toString());
      assertEquals(regions, a.path("bbox").size());
      assertEquals(regions, a.path("label").size());
      String label =
          String.format(
              java.util.Locale.ROOT, "%s(%.2f)", row.get("text_prompt"), row.get("agreement_iou"));
      BinaryMask merged = new BinaryMask(image.path("width").asInt(), image.path("height").asInt());
      for (int i = 0; i < regions; i++) {
        assertEquals(label, a.path("label").get(i).asText());
        JsonNode seg = a.path("segmentation").get(i);
        BinaryMask region = jsonMask(seg);
        int[] box = region.bbox();
        JsonNode corners = a.path("bbox").get(i);
        assertEquals(box[0], corners.get(0).asDouble());
        assertEquals(box[1], corners.get(1).asDouble());
        assertEquals(box[0] + box[2], corners.get(2).asDouble());
        assertEquals(box[1] + box[3], corners.get(3).asDouble());
        assertEquals(0, merged.and(region).area(), "regions are disjoint");
        merged = merged.or(region);
      }
      BinaryMask consensus = rowMask((Map<?, ?>) row.get("mask"));
      assertEquals(0, merged.minus(consensus).area(), "regions lie inside the consensus mask");
      if (regions < maxRegions) {
        assertEquals(consensus, merged, "with room for every part, the regions are the mask");
      }
    }
  }

  /** A mask as a Parquet row holds it ({@code size}, {@code counts}). */
  private static BinaryMask rowMask(Map<?, ?> mask) {
    List<?> size = (List<?>) mask.get("size");
    return CocoRle.decode(
        new CocoRle.Rle(
            ((Number) size.get(0)).intValue(),
            ((Number) size.get(1)).intValue(),
            (String) mask.get("counts")));
  }

  /** A mask as COCO JSON writes it. */
  private static BinaryMask jsonMask(JsonNode seg) {
    return CocoRle.decode(
        new CocoRle.Rle(
            seg.path("size").get(0).asInt(),
            seg.path("size").get(1).asInt(),
            seg.path("counts").asText()));
  }

  private static List<String> fieldNames(JsonNode n) {
    List<String> names = new ArrayList<>();
    n.fieldNames().forEachRemaining(names::add);
    java.util.Collections.sort(names);
    return names;
  }

  /**
   * IoU, counted pixel by pixel, of a kept mask with the ground-truth mask of its entity in its
   * image.
   */
  private static double iouWithTruth(
      JsonNode truth, String fileName, String entityId, Map<?, ?> mask) {
    int imageId = -1;
    for (JsonNode i : truth.path("images")) {
      if (i.path("file_name").asText().equals(fileName)) {
        imageId = i.path("id").asInt();
      }
    }
    int categoryId = -1;
    for (JsonNode c : truth.path("categories")) {
      if (c.path("entity_id").asText().equals(entityId)) {
        categoryId = c.path("id").asInt();
      }
    }
    JsonNode seg = null;
    for (JsonNode a : truth.path("annotations")) {
      if (a.path("image_id").asInt() == imageId && a.path("category_id").asInt() == categoryId) {
        seg = a.path("segmentation");
      }
    }
    assertTrue(seg != null, "ground truth for " + fileName + " / " + entityId);
    BinaryMask want = jsonMask(seg);
    BinaryMask got = rowMask(mask);
    assertEquals(want.width(), got.width());
    assertEquals(want.height(), got.height());
    long both = 0;
    long either = 0;
    for (int y = 0; y < want.height(); y++) {
      for (int x = 0; x < want.width(); x++) {
        both += want.get(x, y) && got.get(x, y) ? 1 : 0;
        either += want.get(x, y) || got.get(x, y) ? 1 : 0;
      }
    }
    return either == 0 ? 0 : (double) both / either;
  }
}
