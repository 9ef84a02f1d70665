package dev.corpusforge.pipelines.regionentity;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.corpusforge.core.output.AllRecords;
import dev.corpusforge.core.output.StatsLines;
import dev.corpusforge.pipelines.run.OutputFiles;
import dev.corpusforge.schemas.AnnotatorScore;
import dev.corpusforge.schemas.RegionEntitySample;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * Writes {@code exports/coco/annotations.json}, loadable by pycocotools' {@code COCO()}: images
 * (one per distinct image location, numbered in location order, {@code file_name} = the location),
 * categories = entities (numbered in entity-id order; {@code name}, {@code entity_id}, {@code
 * supercategory} = the type), annotations in sample-id order with compressed RLE segmentation,
 * {@code area}, {@code bbox} [x, y, w, h], {@code iscrowd} 0, and MaskOVEN-Wiki's extra fields
 * {@code text_prompt}, {@code scores}, {@code question}, {@code split}, plus {@code sample_id}.
 * Written even when nothing was kept.
 */
final class CocoExport extends PTransform<PCollection<RegionEntitySample>, PCollection<String>> {
  private final String directory;

  CocoExport(String directory) {
    this.directory = directory;
  }

  /**
   * What the export keeps of a sample; {@code sampleId} null for the marker that makes the group
   * exist.
   */
  record Entry(
      String sampleId,
      String image,
      int width,
      int height,
      String entityId,
      String entityName,
      String entityType,
      List<Integer> size,
      String counts,
      long area,
      List<Integer> bbox,
      String textPrompt,
      Map<String, Double> scores,
      String question,
      String split)
      implements Serializable {}

  @Override
  public PCollection<String> expand(PCollection<RegionEntitySample> samples) {
    return samples
        .apply(
            "COCO entries",
            MapElements.into(TypeDescriptor.of(Entry.class))
                .via(
                    (RegionEntitySample s) ->
                        new Entry(
                            s.getSampleId(),
                            s.getImage(),
                            s.getWidth(),
                            s.getHeight(),
                            s.getEntityId(),
                            s.getEntityName(),
                            s.getEntityType(),
                            List.copyOf(s.getMask().getSize()),
                            s.getMask().getCounts(),
                            s.getArea(),
                            List.copyOf(s.getBbox()),
                            s.getTextPrompt(),
                            byAnnotator(s.getScores()),
                            s.getQuestion(),
                            s.getSplit())))
        .setCoder(SerializableCoder.of(Entry.class))
        .apply("All COCO entries", AllRecords.inOneList())
        .apply("Write annotations.json", ParDo.of(new WriteFn(directory)));
  }

  /** The annotators' scores by name, as the entry's JSON object lists them. */
  static TreeMap<String, Double> byAnnotator(List<AnnotatorScore> scores) {
    TreeMap<String, Double> byName = new TreeMap<>();
    scores.forEach(s -> byName.put(s.getAnnotator(), s.getScore()));
    return byName;
  }

  /**
   * The first entry (in sample-id order) of each image or entity, by key: the images and categories
   * of a COCO-shaped file.
   */
  static <E> TreeMap<String, E> firstByKey(
      List<E> entries, java.util.function.Function<E, String> key) {
    TreeMap<String, E> first = new TreeMap<>();
    for (E e : entries) {
      first.putIfAbsent(key.apply(e), e);
    }
    return first;
  }

  static final class WriteFn extends DoFn<List<Entry>, String> {
    private final String directory;

    WriteFn(String directory) {
      this.directory = directory;
    }

    @ProcessElement
    public void process(@Element List<Entry> all, OutputReceiver<String> out) throws IOException {
      List<Entry> entries = new ArrayList<>(all);
      entries.sort((a, b) -> a.sampleId().compareTo(b.sampleId()));
      TreeMap<String, Entry> images = firstByKey(entries, Entry::image);
      TreeMap<String, Entry> entities = firstByKey(entries, Entry::entityId);
      Map<String, Integer> imageIds = new TreeMap<>();
      Map<String, Integer> categoryIds = new TreeMap<>();
      String file = directory + "/annotations.json";
      try (JsonGenerator json = OutputFiles.createJson(file)) {
        json.writeStartObject();
        json.writeObjectFieldStart("info");
        json.writeStringField("description", "corpusforge region-entity masks");
        json.writeEndObject();
        json.writeArrayFieldStart("images");
        for (Entry e : images.values()) {
          int id = imageIds.size() + 1;
          imageIds.put(e.image(), id);
          json.writeStartObject();
          json.writeNumberField("id", id);
          json.writeStringField("file_name", e.image());
          json.writeNumberField("height", e.height());
          json.writeNumberField("width", e.width());
          json.writeEndObject();
        }
        json.writeEndArray();
        json.writeArrayFieldStart("categories");
        for (Entry e : entities.values()) {
          int id = categoryIds.size() + 1;
          categoryIds.put(e.entityId(), id);
          json.writeStartObject();
          json.writeNumberField("id", id);
          json.writeStringField("name", e.entityName());
          json.writeStringField("entity_id", e.entityId());
          json.writeStringField("supercategory", e.entityType() == null ? "" : e.entityType());
          json.writeEndObject();
        }
        json.writeEndArray();
        json.writeArrayFieldStart("annotations");
        int id = 0;
        for (Entry e : entries) {
          json.writeStartObject();
          json.writeNumberField("id", ++id);
          json.writeNumberField("image_id", imageIds.get(e.image()));
          json.writeNumberField("category_id", categoryIds.get(e.entityId()));
          json.writeObjectFieldStart("segmentation");
          json.writeArrayFieldStart("size");
          json.writeNumber(e.size().get(0));
          json.writeNumber(e.size().get(1));
          json.writeEndArray();
          json.writeStringField("counts", e.counts());
          json.writeEndObject();
          json.writeNumberField("area", e.area());
          json.writeArrayFieldStart("bbox");
          for (int v : e.bbox()) {
            json.writeNumber(v);
          }
          json.writeEndArray();
          json.writeNumberField("iscrowd", 0);
          json.writeStringField("text_prompt", e.textPrompt());
          json.writeObjectFieldStart("scores");
          for (Map.Entry<String, Double> s : e.scores().entrySet()) {
            json.writeNumberField(s.getKey(), s.getValue());
          }
          json.writeEndObject();
          if (e.question() != null) {
            json.writeStringField("question", e.question());
          }
          json.writeStringField("split", e.split());
          json.writeStringField("sample_id", e.sampleId());
          json.writeEndObject();
          json.writeRaw('\n');
        }
        json.writeEndArray();
        json.writeEndObject();
      }
      out.output(
          StatsLines.line("export")
              .put("format", "coco")
              .put("file", file)
              .put("samples", entries.size())
              .toString());
    }
  }
}
