package dev.corpusforge.pipelines.som;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corpusforge.core.Outcome;
import dev.corpusforge.core.StepResult;
import dev.corpusforge.core.output.StatsLines;
import dev.corpusforge.core.read.ReadTable;
import dev.corpusforge.core.read.TableFiles;
import dev.corpusforge.schemas.Reject;
import dev.corpusforge.schemas.SampleIds;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Reads a {@code region-entity} output folder ({@code --region-entity OUT}): its {@code
 * data/*.parquet} rows are masks (COCO RLE, labelled with {@code entity_name}), grouped by their
 * {@code image}; each distinct image is one input, {@code sample_id} = hash of its location, masks
 * in the rows' sample-id order. A row without image, name or mask is {@code mask_row_invalid}.
 */
final class RegionEntityMaskSource {
  private RegionEntityMaskSource() {}

  /** A row's mask with the row's id, for ordering. */
  record Row(String sampleId, SomInput.Mask mask) implements Serializable {}

  static SomSources.Read read(PBegin begin, String folder) {
    String base = folder.endsWith("/") ? folder : folder + "/";
    StepResult<KV<String, Row>> rows =
        begin.apply(
            "Read mask rows",
            ReadTable.of(
                    "region-entity data file",
                    List.of(base + "data/*.parquet"),
                    List.of(),
                    new MaskRows(),
                    KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(Row.class)))
                .withRowStage(SomReasons.READ)
                .requiringMatches());
    SomSources.Tags tags = new SomSources.Tags();
    PCollectionTuple grouped =
        rows.kept()
            .apply("Masks by image", GroupByKey.create())
            .apply(
                "Images",
                ParDo.of(new ToInputFn(tags))
                    .withOutputTags(tags.inputs, TupleTagList.of(tags.rejects).and(tags.counts)));
    SomSources.Read read = tags.result(grouped);
    PCollection<Reject> rejects =
        PCollectionList.of(read.rejects())
            .and(rows.rejects())
            .apply("Mask row rejects", Flatten.pCollections());
    return new SomSources.Read(read.inputs(), rejects, read.counts());
  }

  /** A row with image, entity name and mask is one mask of its image. */
  static final class MaskRows implements ReadTable.RowParser<KV<String, Row>> {
    @Override
    public Outcome<KV<String, Row>> parse(TableFiles.Row r, ResourceId file) {
      String image = r.text("image");
      String name = r.text("entity_name");
      String id = r.text("sample_id");
      String mask = maskJson(r.get("mask"));
      if (image == null || image.isBlank() || name == null || mask == null) {
        return Outcome.drop(
            SomReasons.MASK_ROW_INVALID,
            "a region-entity row needs image, entity_name and mask {size, counts}");
      }
      return Outcome.keep(
          KV.of(image, new Row(id == null ? r.ref() : id, new SomInput.Mask(name, mask))));
    }
  }

  /** The mask column ({@code {size: [h, w], counts}}) as COCO segmentation JSON, or null. */
  static String maskJson(Object value) {
    if (!(value instanceof GenericRecord m)
        || !m.hasField("size")
        || !m.hasField("counts")
        || m.get("counts") == null
        || !(m.get("size") instanceof List<?> size)
        || size.size() != 2) {
      return null;
    }
    ObjectNode n = StatsLines.JSON.createObjectNode();
    n.putArray("size")
        .add(((Number) size.get(0)).intValue())
        .add(((Number) size.get(1)).intValue());
    n.put("counts", m.get("counts").toString());
    return n.toString();
  }

  static final class ToInputFn extends DoFn<KV<String, Iterable<Row>>, SomInput> {
    private final SomSources.Tags tags;

    ToInputFn(SomSources.Tags tags) {
      this.tags = tags;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<Row>> image, MultiOutputReceiver out) {
      List<Row> rows = new ArrayList<>();
      image.getValue().forEach(rows::add);
      rows.sort((a, b) -> a.sampleId().compareTo(b.sampleId()));
      out.get(tags.inputs)
          .output(
              new SomInput(
                  SampleIds.of(image.getKey()),
                  image.getKey(),
                  rows.stream().map(Row::mask).toList()));
    }
  }
}
