package dev.corpusforge.pipelines.regionentity;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.corpusforge.annotators.region.BinaryMask;
import dev.corpusforge.annotators.region.CocoRle;
import dev.corpusforge.annotators.region.MaskRegions;
import dev.corpusforge.core.output.AllRecords;
import dev.corpusforge.core.output.StatsLines;
import dev.corpusforge.pipelines.run.OutputFiles;
import dev.corpusforge.schemas.RegionEntitySample;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * Writes {@code exports/maskoven/annotations.json} in the layout of the released MaskOVEN-Wiki
 * files, which pycocotools' {@code COCO()} loads: {@code images} with string ids (the image's
 * location), {@code categories} whose id is the entity id as given (a Wikidata QID when the input
 * has them) and {@code annotations} whose id is the sample id, each with
 *
 * <ul>
 *   <li>{@code segmentation}: a list of compressed RLE masks, one per region, which consumers
 *       OR-merge: the consensus mask's separate parts ({@link MaskRegions}), largest first, at most
 *       {@code --max-regions}; a part under {@code --min-area} of the image is left out unless it
 *       is the largest;
 *   <li>{@code bbox}: a list of corner boxes {@code [x1, y1, x2, y2]}, one per region;
 *   <li>{@code label}: {@code "phrase(score)"} per region, the grounded phrase with the annotators'
 *       agreement (IoU, two decimals);
 *   <li>{@code text_prompt}, {@code question} (null without one) and {@code data_split} ({@code
 *       entity} or {@code query}, then {@code _} and {@code --data-split} when given).
 * </ul>
 *
 * Written even when nothing was kept. With {@code --consensus union} a region may be one
 * annotator's alone; with the default intersection every region is marked by all of them.
 */
final class MaskOvenExport
    extends PTransform<PCollection<RegionEntitySample>, PCollection<String>> {
  static final String FILE = "annotations.json";

  private final String directory;
  private final RegionExports exports;
  private final double minArea;

  MaskOvenExport(String directory, RegionExports exports, double minArea) {
    this.directory = directory;
    this.exports = exports;
    this.minArea = minArea;
  }

  /** One region: its RLE counts and corner box. */
  record Region(String counts, double[] corners) implements Serializable {}

  /** What the export keeps of a sample. */
  record Entry(
      String sampleId,
      String image,
      int width,
      int height,
      String entityId,
      String entityName,
      List<Region> regions,
      int regionsLeftOut,
      String textPrompt,
      double agreement,
      String question,
      String dataSplit)
      implements Serializable {}

  @Override
  public PCollection<String> expand(PCollection<RegionEntitySample> samples) {
    RegionExports settings = exports;
    double floor = minArea;
    return samples
        .apply(
            "MaskOVEN entries",
            MapElements.into(TypeDescriptor.of(Entry.class))
                .via((RegionEntitySample s) -> entry(s, settings, floor)))
        .setCoder(SerializableCoder.of(Entry.class))
        .apply("All MaskOVEN entries", AllRecords.inOneList())
        .apply("Write MaskOVEN annotations", ParDo.of(new WriteFn(directory)));
  }

  /** A sample's entry: its consensus mask split into regions. */
  static Entry entry(RegionEntitySample s, RegionExports exports, double minArea) {
    int height = s.getMask().getSize().get(0);
    int width = s.getMask().getSize().get(1);
    BinaryMask consensus = CocoRle.decode(new CocoRle.Rle(height, width, s.getMask().getCounts()));
    List<BinaryMask> parts = MaskRegions.of(consensus);
    List<Region> regions = new ArrayList<>();
    for (BinaryMask part : parts) {
      if (regions.size() == exports.maxRegions()
          || (!regions.isEmpty() && part.areaFraction() < minArea)) {
        break; // largest first: every later part is as small or smaller
      }
      int[] box = part.bbox();
      regions.add(
          new Region(
              CocoRle.encode(part).counts(),
              new double[] {box[0], box[1], box[0] + box[2], box[1] + box[3]}));
    }
    String split = s.getSplit();
    return new Entry(
        s.getSampleId(),
        s.getImage(),
        s.getWidth(),
        s.getHeight(),
        s.getEntityId(),
        s.getEntityName(),
        regions,
        parts.size() - regions.size(),
        s.getTextPrompt(),
        s.getAgreementIou(),
        s.getQuestion(),
        exports.dataSplit() == null ? split : split + "_" + exports.dataSplit());
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
      TreeMap<String, Entry> images = CocoExport.firstByKey(entries, Entry::image);
      TreeMap<String, Entry> entities = CocoExport.firstByKey(entries, Entry::entityId);
      long regions = entries.stream().mapToLong(e -> e.regions().size()).sum();
      long leftOut = entries.stream().mapToLong(Entry::regionsLeftOut).sum();
      String file = directory + "/" + FILE;
      try (JsonGenerator json = OutputFiles.createJson(file)) {
        json.writeStartObject();
        json.writeArrayFieldStart("images");
        for (Entry e : images.values()) {
          json.writeStartObject();
          json.writeStringField("id", e.image());
          json.writeStringField("file_name", e.image());
          json.writeNumberField("height", e.height());
          json.writeNumberField("width", e.width());
          json.writeEndObject();
          json.writeRaw('\n');
        }
        json.writeEndArray();
        json.writeArrayFieldStart("categories");
        for (Entry e : entities.values()) {
          json.writeStartObject();
          json.writeStringField("id", e.entityId());
          json.writeStringField("name", e.entityName());
          json.writeEndObject();
          json.writeRaw('\n');
        }
        json.writeEndArray();
        json.writeArrayFieldStart("annotations");
        for (Entry e : entries) {
          writeAnnotation(json, e);
          json.writeRaw('\n');
        }
        json.writeEndArray();
        json.writeEndObject();
      }
      out.output(
          StatsLines.line("export")
              .put("format", RegionExports.MASKOVEN)
              .put("file", file)
              .put("samples", entries.size())
              .put("regions", regions)
              .put("regions_left_out", leftOut)
              .toString());
    }

    private static void writeAnnotation(JsonGenerator json, Entry e) throws IOException {
      json.writeStartObject();
      json.writeStringField("id", e.sampleId());
      json.writeStringField("image_id", e.image());
      json.writeStringField("category_id", e.entityId());
      json.writeArrayFieldStart("segmentation");
      for (Region r : e.regions()) {
        json.writeStartObject();
        json.writeArrayFieldStart("size");
        json.writeNumber(e.height());
        json.writeNumber(e.width());
        json.writeEndArray();
        json.writeStringField("counts", r.counts());
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeArrayFieldStart("bbox");
      for (Region r : e.regions()) {
        json.writeArray(r.corners(), 0, 4);
      }
      json.writeEndArray();
      json.writeStringField("text_prompt", e.textPrompt());
      json.writeArrayFieldStart("label");
      String label = String.format(Locale.ROOT, "%s(%.2f)", e.textPrompt(), e.agreement());
      for (int i = 0; i < e.regions().size(); i++) {
        json.writeString(label);
      }
      json.writeEndArray();
      json.writeStringField("question", e.question());
      json.writeStringField("data_split", e.dataSplit());
      json.writeEndObject();
    }
  }
}
