package dev.corpusforge.pipelines.regionentity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corpusforge.annotators.region.BinaryMask;
import dev.corpusforge.annotators.region.CocoRle;
import dev.corpusforge.pipelines.run.OutputFiles;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * A COCO annotation file used as ground truth ({@code --ground-truth}): per image, the mask of each
 * entity. An image is found by its {@code file_name} equal to the row's image as written, else by
 * its last path segment; an entity by the category's {@code entity_id} field, else its {@code name}
 * equal to the entity name. Compressed RLE segmentations only (what the scene builder and this
 * pipeline write).
 */
final class GroundTruth {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The ground-truth mask for a row and how many objects its image holds. */
  record Match(BinaryMask mask, int objects) implements java.io.Serializable {}

  private record Image(int width, int height, Map<String, CocoRle.Rle> byEntity) {}

  private final Map<String, Image> byFile = new HashMap<>();
  private final Map<String, Image> byBaseName = new HashMap<>();

  private static final Map<String, GroundTruth> SHARED = new HashMap<>();

  /**
   * The file at {@code location}, read once per JVM however many worker threads ask, and again when
   * it changed since.
   */
  static GroundTruth shared(String location) throws IOException {
    String key = location + "|" + dev.corpusforge.core.read.SourceStamp.file(location);
    synchronized (SHARED) {
      GroundTruth gt = SHARED.get(key);
      if (gt == null) {
        gt = load(location);
        SHARED.put(key, gt);
      }
      return gt;
    }
  }

  static GroundTruth load(String location) throws IOException {
    JsonNode root = JSON.readTree(OutputFiles.readString(location));
    GroundTruth gt = new GroundTruth();
    Map<Integer, String[]> categories = new HashMap<>();
    for (JsonNode c : root.path("categories")) {
      categories.put(
          c.path("id").asInt(),
          new String[] {c.path("entity_id").asText(null), c.path("name").asText("")});
    }
    Map<Integer, Image> images = new HashMap<>();
    for (JsonNode i : root.path("images")) {
      Image image = new Image(i.path("width").asInt(), i.path("height").asInt(), new HashMap<>());
      images.put(i.path("id").asInt(), image);
      String file = i.path("file_name").asText();
      gt.byFile.put(file, image);
      gt.byBaseName.putIfAbsent(file.substring(file.lastIndexOf('/') + 1), image);
    }
    for (JsonNode a : root.path("annotations")) {
      Image image = images.get(a.path("image_id").asInt());
      String[] category = categories.get(a.path("category_id").asInt());
      JsonNode seg = a.path("segmentation");
      if (image == null || category == null || !seg.path("counts").isTextual()) {
        continue;
      }
      CocoRle.Rle rle =
          new CocoRle.Rle(
              seg.path("size").path(0).asInt(),
              seg.path("size").path(1).asInt(),
              seg.path("counts").asText());
      if (category[0] != null) {
        image.byEntity().put("id:" + category[0], rle);
      }
      image.byEntity().put("name:" + category[1], rle);
    }
    return gt;
  }

  /** The row's ground truth, or null when the file has none for its image and entity. */
  Match find(RegionRow row) {
    Image image = byFile.get(row.image());
    if (image == null) {
      image = byBaseName.get(row.image().substring(row.image().lastIndexOf('/') + 1));
    }
    if (image == null) {
      return null;
    }
    CocoRle.Rle rle =
        image
            .byEntity()
            .getOrDefault("id:" + row.entityId(), image.byEntity().get("name:" + row.entityName()));
    if (rle == null) {
      return null;
    }
    long objects = image.byEntity().keySet().stream().filter(k -> k.startsWith("name:")).count();
    return new Match(CocoRle.decode(rle), (int) objects);
  }
}
