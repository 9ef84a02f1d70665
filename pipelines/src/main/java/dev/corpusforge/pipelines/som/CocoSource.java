package dev.corpusforge.pipelines.som;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corpusforge.core.Rejects;
import dev.corpusforge.core.read.ReadReasons;
import dev.corpusforge.pipelines.io.Locations;
import dev.corpusforge.schemas.SampleIds;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Reads a COCO annotation file ({@code --coco}): every entry of {@code images} is one input, {@code
 * sample_id} = hash of {@code FILE#image-id}; its image is {@code file_name} under {@code --images}
 * (default: the COCO file's folder), its masks the annotations with its id, labelled with their
 * category's {@code name}. An image entry without an id or a file name is {@code
 * image_entry_invalid}; a second entry with an id already seen {@code duplicate_image_id}; a file
 * that is not COCO JSON one {@code malformed_file} reject. Annotations naming no listed image or
 * category are counted, not silently dropped. One worker reads the file, streaming it: memory holds
 * the segmentations as JSON text (about the file's size), never the file as a tree.
 */
final class CocoSource {
  private static final ObjectMapper JSON = new ObjectMapper();

  private CocoSource() {}

  static SomSources.Read read(PBegin begin, String cocoFile, String imagesFolder) {
    SomSources.Tags tags = new SomSources.Tags();
    PCollectionTuple out =
        begin
            .apply("COCO file", Create.of(cocoFile))
            .apply(
                "Read COCO",
                ParDo.of(new ReadFn(imagesFolder, tags))
                    .withOutputTags(tags.inputs, TupleTagList.of(tags.rejects).and(tags.counts)));
    return tags.result(out);
  }

  /**
   * What the file holds: image entries, category names by id, annotations (category id,
   * segmentation JSON) by image id in file order.
   */
  static final class Parsed {
    List<JsonNode> images;
    final Map<String, String> categories = new HashMap<>();
    final Map<String, List<String[]>> annotations = new LinkedHashMap<>();
  }

  /**
   * Streams the file: one image, category or annotation object at a time, so memory holds the
   * segmentations as text rather than the whole file as a tree.
   */
  static Parsed parse(InputStream in) throws java.io.IOException {
    Parsed coco = new Parsed();
    try (JsonParser p = JSON.getFactory().createParser(in)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new java.io.IOException("the file is not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        boolean list = value == JsonToken.START_ARRAY;
        switch (field) {
          case "images" -> {
            coco.images = list ? new ArrayList<>() : null;
            while (list && p.nextToken() != JsonToken.END_ARRAY) {
              coco.images.add(p.readValueAsTree());
            }
          }
          case "categories" -> {
            while (list && p.nextToken() != JsonToken.END_ARRAY) {
              JsonNode c = p.readValueAsTree();
              coco.categories.put(c.path("id").asText(), c.path("name").asText(null));
            }
          }
          case "annotations" -> {
            while (list && p.nextToken() != JsonToken.END_ARRAY) {
              JsonNode a = p.readValueAsTree();
              coco.annotations
                  .computeIfAbsent(a.path("image_id").asText(), k -> new ArrayList<>())
                  .add(
                      new String[] {
                        a.path("category_id").asText(), a.path("segmentation").toString()
                      });
            }
          }
          default -> {}
        }
        if (!list
            || !(field.equals("images")
                || field.equals("categories")
                || field.equals("annotations"))) {
          p.skipChildren();
        }
      }
    }
    return coco;
  }

  static final class ReadFn extends DoFn<String, SomInput> {
    private final String imagesFolder;
    private final SomSources.Tags tags;

    ReadFn(String imagesFolder, SomSources.Tags tags) {
      this.imagesFolder = imagesFolder;
      this.tags = tags;
    }

    @ProcessElement
    public void process(@Element String file, MultiOutputReceiver out) {
      ResourceId resource = FileSystems.matchNewResource(file, false);
      Parsed coco;
      try (InputStream in = Channels.newInputStream(FileSystems.open(resource))) {
        coco = parse(in);
      } catch (Exception e) {
        out.get(tags.rejects)
            .output(
                Rejects.of(
                    SampleIds.of(file),
                    file,
                    SomReasons.READ,
                    ReadReasons.MALFORMED_FILE,
                    "not a readable COCO JSON file: "
                        + e.getClass().getSimpleName()
                        + ": "
                        + e.getMessage()));
        return;
      }
      if (coco.images == null) {
        out.get(tags.rejects)
            .output(
                Rejects.of(
                    SampleIds.of(file),
                    file,
                    SomReasons.READ,
                    ReadReasons.MALFORMED_FILE,
                    "no 'images' list: not a COCO annotation file"));
        return;
      }
      ResourceId folder =
          imagesFolder != null
              ? FileSystems.matchNewResource(imagesFolder, true)
              : resource.getCurrentDirectory();
      Map<String, List<SomInput.Mask>> masks = new LinkedHashMap<>();
      Map<String, String> locations = new HashMap<>();
      int position = 0;
      for (JsonNode i : coco.images) {
        position++;
        String id =
            i.path("id").isIntegralNumber() || i.path("id").isTextual()
                ? i.path("id").asText()
                : null;
        String name = i.path("file_name").isTextual() ? i.path("file_name").asText().strip() : "";
        String ref = file + "#" + (id != null ? id : "@" + position);
        if (id == null || name.isEmpty()) {
          out.get(tags.rejects)
              .output(
                  Rejects.of(
                      SampleIds.of(ref),
                      ref,
                      SomReasons.READ,
                      SomReasons.IMAGE_ENTRY_INVALID,
                      id == null
                          ? "image entry " + position + " has no id"
                          : "image " + id + " has no file_name"));
          continue;
        }
        if (masks.containsKey(id)) {
          String dup = file + "#@" + position;
          out.get(tags.rejects)
              .output(
                  Rejects.of(
                      SampleIds.of(dup),
                      dup,
                      SomReasons.READ,
                      SomReasons.DUPLICATE_IMAGE_ID,
                      "image id " + id + " listed again at entry " + position));
          continue;
        }
        String location;
        try {
          location = Locations.resolveIn(folder, name);
        } catch (RuntimeException e) {
          out.get(tags.rejects)
              .output(
                  Rejects.of(
                      SampleIds.of(ref),
                      ref,
                      SomReasons.READ,
                      SomReasons.IMAGE_ENTRY_INVALID,
                      "file_name '" + name + "': " + e.getMessage()));
          continue;
        }
        masks.put(id, new ArrayList<>());
        locations.put(id, location);
      }
      long unknownImage = 0;
      long unknownCategory = 0;
      for (Map.Entry<String, List<String[]>> e : coco.annotations.entrySet()) {
        List<SomInput.Mask> list = masks.get(e.getKey());
        if (list == null) {
          unknownImage += e.getValue().size();
          continue;
        }
        for (String[] a : e.getValue()) {
          if (!coco.categories.containsKey(a[0])) {
            unknownCategory++;
          } else {
            list.add(new SomInput.Mask(coco.categories.get(a[0]), a[1]));
          }
        }
      }
      SomSources.count(
          out.get(tags.counts),
          SomCounts.DROPPED + SomReasons.ANNOTATION_UNKNOWN_IMAGE,
          unknownImage);
      SomSources.count(
          out.get(tags.counts),
          SomCounts.DROPPED + SomReasons.ANNOTATION_UNKNOWN_CATEGORY,
          unknownCategory);
      for (Map.Entry<String, List<SomInput.Mask>> e : masks.entrySet()) {
        out.get(tags.inputs)
            .output(
                new SomInput(
                    SampleIds.of(file + "#" + e.getKey()),
                    locations.get(e.getKey()),
                    e.getValue()));
      }
    }
  }
}
