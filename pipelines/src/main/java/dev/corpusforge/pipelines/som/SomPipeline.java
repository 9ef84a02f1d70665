package dev.corpusforge.pipelines.som;

import dev.corpusforge.core.output.CorpusWriter;
import dev.corpusforge.core.output.Histogram;
import dev.corpusforge.core.output.OutputLayout;
import dev.corpusforge.core.output.ProgressMeter;
import dev.corpusforge.pipelines.report.PreviewSelection;
import dev.corpusforge.schemas.Reject;
import dev.corpusforge.schemas.SomSample;
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
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * {@code som}: Set-of-Mark tagged images with "list items one by one" conversations (SoM-LLaVA,
 * CORPORA.md §3). Images with instance masks (COCO, a region-entity output, or automatic masks) →
 * numbered marks drawn on the image → a listing and an instruction → {@code data/part-*.parquet}
 * and {@code exports/llava/}. Every input image is a tagged sample or a reject.
 */
public final class SomPipeline {
  public static final String NAME = "som";

  private SomPipeline() {}

  public static void build(Pipeline pipeline, SomConfig config) {
    PBegin begin = PBegin.in(pipeline);
    SomSources.Read read =
        config.coco() != null
            ? CocoSource.read(begin, config.coco(), config.images())
            : config.regionEntity() != null
                ? RegionEntityMaskSource.read(begin, config.regionEntity())
                : ImageFolderInputs.read(begin, config.images());

    TupleTag<SomSample> keptTag = new TupleTag<>();
    TupleTag<Reject> rejectTag = new TupleTag<>();
    TupleTag<String> countTag = new TupleTag<>();
    TupleTag<String> previewTag = new TupleTag<>();
    PCollectionTuple tagged =
        read.inputs()
            // a COCO file is read by one worker: spread its images over all of them
            .apply("Spread images", Reshuffle.viaRandomKey())
            .apply(
                "Tag",
                ParDo.of(new TagFn(config, keptTag, rejectTag, countTag, previewTag))
                    .withOutputTags(
                        keptTag, TupleTagList.of(rejectTag).and(countTag).and(previewTag)));
    PCollection<SomSample> kept = tagged.get(keptTag).setCoder(AvroCoder.of(SomSample.class));
    PCollection<Reject> rejects =
        PCollectionList.of(read.rejects())
            .and(tagged.get(rejectTag).setCoder(AvroCoder.of(Reject.class)))
            .apply("All rejects", Flatten.pCollections());

    PCollection<String> inputIds =
        PCollectionList.of(
                List.of(
                    read.inputs()
                        .apply(
                            "Image ids",
                            MapElements.into(TypeDescriptors.strings()).via(SomInput::sampleId)),
                    read.rejects()
                        .apply(
                            "Unread ids",
                            MapElements.into(TypeDescriptors.strings()).via(Reject::getSampleId))))
            .apply("Input ids", Flatten.pCollections())
            .apply("Count reads for progress", ProgressMeter.count(ProgressMeter.READ));

    OutputLayout layout = new OutputLayout(config.output());
    List<PCollection<String>> stats = new ArrayList<>();
    stats.add(
        PCollectionList.of(read.counts())
            .and(tagged.get(countTag).setCoder(StringUtf8Coder.of()))
            .apply("All mask counts", Flatten.pCollections())
            .apply("Marks section", Combine.globally(new SomCounts())));
    stats.add(
        tagged
            .get(previewTag)
            .setCoder(StringUtf8Coder.of())
            .apply("Previews", new PreviewSelection(TagFn.PREVIEWS)));
    stats.add(
        kept.apply(
                "Marks per image",
                MapElements.into(TypeDescriptors.doubles())
                    .via((SomSample s) -> (double) s.getMarks().size()))
            .apply(
                "Marks histogram",
                Combine.globally(new Histogram("marks_per_image", 1, 2, 4, 8, 16, 32, 64, 128))));
    stats.add(kept.apply("LLaVA export", new LlavaExport(layout.exports("llava"))));
    pipeline.apply(
        "Write outputs",
        CorpusWriter.of(
            layout,
            SomSample.getClassSchema(),
            kept,
            kept.apply(
                "Kept ids",
                MapElements.into(TypeDescriptors.strings()).via(SomSample::getSampleId)),
            rejects,
            inputIds,
            stats));
  }
}
