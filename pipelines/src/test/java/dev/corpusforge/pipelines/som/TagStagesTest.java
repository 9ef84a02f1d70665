package dev.corpusforge.pipelines.som;

import static dev.corpusforge.pipelines.som.SomReasons.CONVERSATION;
import static dev.corpusforge.pipelines.som.SomReasons.IMAGE;
import static dev.corpusforge.pipelines.som.SomReasons.LISTING;
import static dev.corpusforge.pipelines.som.SomReasons.MARKS;

import dev.corpusforge.annotators.som.MarkStyle;
import dev.corpusforge.core.Recipe;
import dev.corpusforge.core.RecordIdentity;
import dev.corpusforge.core.Stage;
import dev.corpusforge.core.Tally;
import dev.corpusforge.core.testing.TestPipelineExtension;
import dev.corpusforge.filters.image.RgbImage;
import dev.corpusforge.schemas.Reject;
import dev.corpusforge.schemas.SomSample;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.TreeSet;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The tagging stages after the image is loaded, chained as {@link SomPipeline} chains them: masks
 * decoded or dropped and counted, marks numbered, drawn, encoded, listed and written.
 */
@ExtendWith(TestPipelineExtension.class)
class TagStagesTest {
  TestPipeline p;

  static final SomConfig CONFIG =
      new SomConfig(
          "unused.json",
          null,
          null,
          null,
          "unused",
          0,
          110,
          1000,
          MarkStyle.numbers(),
          0.9f,
          100,
          SomConfig.LISTER_LABELS,
          null,
          "",
          null,
          SomConfig.DEFAULT_LISTER_SYSTEM,
          MarkQuestions.defaults(2),
          InstructionPool.defaults(),
          0,
          null,
          null);

  /** The number of turns (questions and answers) of a QA record, -1 without one. */
  static int qaTurns(String record) {
    if (record == null) {
      return -1;
    }
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper()
          .readTree(record)
          .path("conversations")
          .size();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A COCO polygon: the rectangle from (x0, y0) to (x1, y1). */
  static SomInput.Mask rect(String label, int x0, int y0, int x1, int y1) {
    return new SomInput.Mask(
        label,
        "[[" + x0 + "," + y0 + "," + x1 + "," + y0 + "," + x1 + "," + y1 + "," + x0 + "," + y1
            + "]]");
  }

  static Tagging loaded(String id, SomInput.Mask... masks) {
    BufferedImage rgb = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
    return Tagging.loaded(
        new SomInput(id, "scene/" + id, List.of(masks)), 64, 48, new RgbImage(rgb));
  }

  /** The labels of a listing "1. a\n2. b", in name order. */
  static TreeSet<String> labels(String listing) {
    TreeSet<String> labels = new TreeSet<>();
    for (String line : listing.split("\n", -1)) {
      labels.add(line.substring(line.indexOf(". ") + 2));
    }
    return labels;
  }

  @Test
  void masksBecomeNumberedListedMarksAndWhatIsDroppedIsCounted() {
    RecordIdentity<Tagging> image = Tagging.IDENTITY;
    Recipe<SomSample> recipe =
        Recipe.read(
                p.apply(
                    Create.of(
                            loaded("kept", rect("cat", 0, 0, 30, 30), rect("dog", 34, 10, 60, 40)),
                            loaded("unlabelled", rect("", 0, 0, 30, 30)),
                            loaded("tiny", rect("flea", 0, 0, 2, 2)))
                        .withCoder(SerializableCoder.of(Tagging.class))),
                p.apply("no read rejects", Create.empty(AvroCoder.of(Reject.class))),
                t -> t.input().sampleId())
            .then("Decode masks", Stage.of(MARKS, new TagSteps.DecodeMasks(CONFIG), image))
            .then("Number marks", Stage.of(MARKS, new TagSteps.NumberMarks(110), image))
            .then("Draw marks", Stage.of(MARKS, new TagSteps.DrawMarks(CONFIG), image))
            .then("Encode image", Stage.of(IMAGE, new TagSteps.EncodeImage(0.9f), image))
            .then("List marks", Stage.of(LISTING, new TagSteps.ListMarks(CONFIG), image))
            .then(
                "Write conversation",
                Stage.of(
                    CONVERSATION,
                    new TagSteps.WriteConversation(CONFIG),
                    image,
                    AvroCoder.of(SomSample.class)));
    PAssert.that(
            recipe
                .kept()
                .apply(
                    "samples",
                    MapElements.into(TypeDescriptors.strings())
                        .via(
                            (SomSample s) ->
                                s.getSampleId()
                                    + " "
                                    + s.getWidth()
                                    + "x"
                                    + s.getHeight()
                                    + " "
                                    + s.getMarks().size()
                                    + " marks "
                                    + labels(s.getListing())
                                    + " jpeg "
                                    + (s.getImage().remaining() > 0)
                                    + " qa turns "
                                    + qaTurns(s.getQaConversation()))))
        .containsInAnyOrder("kept 64x48 2 marks [cat, dog] jpeg true qa turns 4");
    PAssert.thatSingleton(recipe.tallies().apply(Combine.globally(Tally.sum())))
        .isEqualTo(
            Tally.of(SomCounts.MASKS_IN, 4)
                .add(SomCounts.DROPPED + SomReasons.MASK_LABEL_EMPTY, 1)
                .add(SomCounts.TOO_SMALL, 1)
                .add(SomCounts.IMAGES_TAGGED, 1)
                .add(SomCounts.MARKS, 2));
    PAssert.that(
            recipe
                .rejects()
                .apply(
                    "reasons",
                    MapElements.into(TypeDescriptors.strings())
                        .via(
                            (Reject r) ->
                                r.getSampleId() + " " + r.getStage() + "/" + r.getReason())))
        .containsInAnyOrder("unlabelled marks/no_masks", "tiny marks/no_marks");
    p.run().waitUntilFinish();
  }
}
