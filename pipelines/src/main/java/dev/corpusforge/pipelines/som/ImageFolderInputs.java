package dev.corpusforge.pipelines.som;

import dev.corpusforge.core.Outcome;
import dev.corpusforge.core.StepResult;
import dev.corpusforge.core.Tally;
import dev.corpusforge.core.read.ReadReasons;
import dev.corpusforge.core.read.ReadTable;
import dev.corpusforge.pipelines.io.ImageExtensions;
import dev.corpusforge.pipelines.io.ImageFolderSource;
import dev.corpusforge.schemas.SampleIds;
import java.util.List;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PBegin;

/**
 * With {@code --auto-masks}: every file under {@code --images} (recursively) is one input; images
 * get their masks from the automatic segmenter, {@code sample_id} = hash of the location; any other
 * file is {@code unsupported_file}.
 */
final class ImageFolderInputs {
  private ImageFolderInputs() {}

  static SomSources.Read read(PBegin begin, String folder) {
    StepResult<SomInput> images =
        begin.apply(
            "Read image folder",
            ReadTable.ofFiles(
                    "image folder",
                    List.of((folder.endsWith("/") ? folder : folder + "/") + "**"),
                    new Images(),
                    SerializableCoder.of(SomInput.class))
                .withRowStage(SomReasons.READ));
    return new SomSources.Read(
        images.kept(),
        images.rejects(),
        begin.apply("No mask counts", Create.empty(Tally.coder())));
  }

  /** An image file is an image to tag with automatic masks; any other file is no input. */
  static final class Images implements ReadTable.FileParser<SomInput> {
    @Override
    public Outcome<SomInput> parse(ResourceId file) {
      String location = file.toString();
      if (!ImageExtensions.isImage(ImageFolderSource.extension(location))) {
        return Outcome.drop(ReadReasons.UNSUPPORTED_FILE, "not an image file name");
      }
      return Outcome.keep(new SomInput(SampleIds.of(location), location, List.of()));
    }
  }
}
