package dev.corpusforge.pipelines.regionentity;

import dev.corpusforge.core.StepResult;
import dev.corpusforge.core.output.CorpusWriter;
import dev.corpusforge.core.output.Histogram;
import dev.corpusforge.core.output.OutputLayout;
import dev.corpusforge.core.output.ProgressMeter;
import dev.corpusforge.pipelines.report.PreviewSelection;
import dev.corpusforge.schemas.RegionEntitySample;
import dev.corpusforge.schemas.Reject;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * {@code region-entity}: MaskOVEN-Wiki-style reverse annotation (CORPORA.md §2). Rows {@code
 * {image, entity_id, entity_name}} → a type from the row or {@code --kb} → a text prompt (entity or
 * query split) → the image → two or more independent annotators → the agreement rule → {@code
 * data/part-*.parquet} with a COCO RLE mask per kept row, and {@code
 * exports/coco/annotations.json}. Every input row is a kept sample or a reject.
 */
public final class RegionEntityPipeline {
  public static final String NAME = "region-entity";

  private RegionEntityPipeline() {}

  public static void build(Pipeline pipeline, RegionEntityConfig config) {
    StepResult<RegionRow> read =
        pipeline.apply("Read rows", RegionRowSource.of(config.inputs(), config.columns()));
    PCollection<RegionRow> rows = read.kept();
    if (!config.kb().isEmpty()) {
      rows = KbJoin.apply(rows, config.kb(), config.kbIdColumn(), config.kbLabelColumn());
    }
    TupleTag<RegionRow> promptedTag = new TupleTag<>();
    TupleTag<Reject> promptRejectTag = new TupleTag<>();
    PCollectionTuple prompted =
        rows.apply(
            "Text prompts",
            ParDo.of(new PromptFn(config.prompt(), config.llm(), promptedTag, promptRejectTag))
                .withOutputTags(promptedTag, TupleTagList.of(promptRejectTag)));

    TupleTag<RegionEntitySample> keptTag = new TupleTag<>();
    TupleTag<Reject> rejectTag = new TupleTag<>();
    TupleTag<String> annotatedTag = new TupleTag<>();
    TupleTag<String> previewTag = new TupleTag<>();
    PCollectionTuple annotated =
        prompted
            .get(promptedTag)
            .setCoder(org.apache.beam.sdk.coders.SerializableCoder.of(RegionRow.class))
            // rows come from few files: spread them over the workers before the costly step
            .apply("Spread rows", Reshuffle.viaRandomKey())
            .apply(
                "Annotate",
                ParDo.of(new AnnotateFn(config, keptTag, rejectTag, annotatedTag, previewTag))
                    .withOutputTags(
                        keptTag, TupleTagList.of(rejectTag).and(annotatedTag).and(previewTag)));
    PCollection<RegionEntitySample> kept =
        annotated.get(keptTag).setCoder(AvroCoder.of(RegionEntitySample.class));
    PCollection<Reject> rejects =
        PCollectionList.of(
                List.of(
                    read.rejects(),
                    prompted.get(promptRejectTag).setCoder(AvroCoder.of(Reject.class)),
                    annotated.get(rejectTag).setCoder(AvroCoder.of(Reject.class))))
            .apply("All rejects", Flatten.pCollections());

    PCollection<String> inputIds =
        PCollectionList.of(
                List.of(
                    rows.apply(
                        "Row ids",
                        MapElements.into(TypeDescriptors.strings()).via(RegionRow::sampleId)),
                    read.rejects()
                        .apply(
                            "Unread row ids",
                            MapElements.into(TypeDescriptors.strings()).via(Reject::getSampleId))))
            .apply("Input ids", Flatten.pCollections())
            .apply("Count reads for progress", ProgressMeter.count(ProgressMeter.READ));

    OutputLayout layout = new OutputLayout(config.output());
    List<PCollection<String>> stats = new ArrayList<>();
    stats.add(
        annotated
            .get(annotatedTag)
            .setCoder(StringUtf8Coder.of())
            .apply("Annotation stats", Combine.globally(new AnnotationStats())));
    stats.add(
        annotated
            .get(previewTag)
            .setCoder(StringUtf8Coder.of())
            .apply("Previews", new PreviewSelection(AnnotateFn.PREVIEWS)));
    stats.add(
        kept.apply(
                "Mask areas",
                MapElements.into(TypeDescriptors.doubles())
                    .via(
                        (RegionEntitySample s) ->
                            (double) s.getArea() / ((double) s.getWidth() * s.getHeight())))
            .apply(
                "Mask area histogram",
                Combine.globally(
                    new Histogram(
                        "mask_area_share", 0, 0.01, 0.02, 0.05, 0.1, 0.2, 0.4, 0.6, 0.9))));
    stats.add(
        kept.apply(
                "Agreement",
                MapElements.into(TypeDescriptors.doubles())
                    .via((RegionEntitySample s) -> s.getAgreementIou()))
            .apply(
                "Agreement histogram",
                Combine.globally(
                    new Histogram("agreement_iou", 0, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0001))));
    stats.add(kept.apply("COCO export", new CocoExport(layout.exports("coco"))));
    pipeline.apply(
        "Write outputs",
        CorpusWriter.of(
            layout,
            RegionEntitySample.getClassSchema(),
            kept,
            kept.apply(
                "Kept ids",
                MapElements.into(TypeDescriptors.strings()).via(RegionEntitySample::getSampleId)),
            rejects,
            inputIds,
            stats));
  }
}
