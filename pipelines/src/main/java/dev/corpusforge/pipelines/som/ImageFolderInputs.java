package dev.corpusforge.pipelines.som;

import dev.corpusforge.core.Rejects;
import dev.corpusforge.pipelines.io.ImageExtensions;
import dev.corpusforge.pipelines.io.ImageFolderSource;
import dev.corpusforge.pipelines.io.ReadReasons;
import dev.corpusforge.schemas.SampleIds;
import java.util.List;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * With {@code --auto-masks}: every file under {@code --images} (recursively) is one input; images
 * get their masks from the automatic segmenter, {@code sample_id} = hash of the location; any other
 * file is {@code unsupported_file}.
 */
final class ImageFolderInputs {
  private ImageFolderInputs() {}

  static SomSources.Read read(PBegin begin, String folder) {
    SomSources.Tags tags = new SomSources.Tags();
    PCollectionTuple out =
        begin
            .apply("Image folder", Create.of((folder.endsWith("/") ? folder : folder + "/") + "**"))
            .apply(
                "List images", FileIO.matchAll().withEmptyMatchTreatment(EmptyMatchTreatment.ALLOW))
            .apply(
                "Images to tag",
                ParDo.of(new ToInputFn(tags))
                    .withOutputTags(tags.inputs, TupleTagList.of(tags.rejects).and(tags.counts)));
    return tags.result(out);
  }

  static final class ToInputFn extends DoFn<MatchResult.Metadata, SomInput> {
    private final SomSources.Tags tags;

    ToInputFn(SomSources.Tags tags) {
      this.tags = tags;
    }

    @ProcessElement
    public void process(@Element MatchResult.Metadata file, MultiOutputReceiver out) {
      String location = file.resourceId().toString();
      if (!ImageExtensions.isImage(ImageFolderSource.extension(location))) {
        out.get(tags.rejects)
            .output(
                Rejects.of(
                    SampleIds.of(location),
                    location,
                    SomReasons.READ,
                    ReadReasons.UNSUPPORTED_FILE,
                    "not an image file name"));
        return;
      }
      out.get(tags.inputs).output(new SomInput(SampleIds.of(location), location, List.of()));
    }
  }
}
