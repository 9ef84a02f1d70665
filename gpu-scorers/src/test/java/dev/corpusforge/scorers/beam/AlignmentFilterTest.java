package dev.corpusforge.scorers.beam;

import dev.corpusforge.core.StepResult;
import dev.corpusforge.core.testing.TestPipelineExtension;
import dev.corpusforge.schemas.ImageTextSample;
import dev.corpusforge.schemas.Reject;
import dev.corpusforge.scorers.ScoreKind;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestPipelineExtension.class)
public class AlignmentFilterTest {
  TestPipeline p;

  static ImageTextSample scored(String id, String language, double clip, double filip) {
    return ImageTextSample.newBuilder()
        .setSampleId(id)
        .setSource("src/" + id)
        .setCaption("c")
        .setLanguage(language)
        .setClipScore(clip)
        .setFilipScore(filip)
        .build();
  }

  static final List<ImageTextSample> SAMPLES =
      List.of(
          scored("a", "en", 0.31, 0.10),
          scored("b", "en", 0.29, 0.40),
          scored("c", "de", 0.26, 0.30),
          scored("d", "de", 0.24, 0.20),
          scored("e", "fr", 0.50, 0.30));

  private StepResult<ImageTextSample> run(AlignmentRule rule) {
    return p.apply(Create.of(SAMPLES).withCoder(AvroCoder.of(ImageTextSample.class)))
        .apply(AlignmentFilter.of(rule, ImageTextPairs.INSTANCE));
  }

  private static PCollection<String> ids(PCollection<ImageTextSample> kept) {
    return kept.apply(
        "ids", MapElements.into(TypeDescriptors.strings()).via(ImageTextSample::getSampleId));
  }

  private static PCollection<String> details(PCollection<Reject> rejects) {
    return rejects.apply(
        "details",
        MapElements.into(TypeDescriptors.strings())
            .via(
                (Reject r) ->
                    r.getSampleId()
                        + ":"
                        + r.getStage()
                        + ":"
                        + r.getReason()
                        + ":"
                        + r.getDetail()));
  }

  @Test
  public void aFloorWithPerLanguageFloors() {
    StepResult<ImageTextSample> out =
        run(new AlignmentRule(ScoreKind.CLIP, 0.30, Map.of("de", 0.25), null));
    PAssert.that(ids(out.kept())).containsInAnyOrder("a", "c", "e");
    PAssert.that(details(out.rejects()))
        .containsInAnyOrder(
            "b:alignment:score_below_threshold:clip_score 0.290000 < 0.300000 (min score)",
            "d:alignment:score_below_threshold:clip_score 0.240000 < 0.250000 (min score for de)");
    p.run().waitUntilFinish();
  }

  @Test
  public void theTopFractionOfTheWholeInput() {
    // filip scores 0.40, 0.30, 0.30, 0.20, 0.10: rank ⌊0.4·5⌋ = 2 is 0.30, and both pairs tied at
    // it are kept
    StepResult<ImageTextSample> out = run(new AlignmentRule(ScoreKind.FILIP, null, null, 0.4));
    PAssert.that(ids(out.kept())).containsInAnyOrder("b", "c", "e");
    PAssert.that(details(out.rejects()))
        .containsInAnyOrder(
            "a:alignment:score_below_threshold:filip_score 0.100000 < 0.300000 (top 40% of 5 scored pairs: the score at rank 2)",
            "d:alignment:score_below_threshold:filip_score 0.200000 < 0.300000 (top 40% of 5 scored pairs: the score at rank 2)");
    p.run().waitUntilFinish();
  }
}
