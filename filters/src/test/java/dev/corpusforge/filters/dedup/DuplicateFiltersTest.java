package dev.corpusforge.filters.dedup;

import static dev.corpusforge.filters.TestSamples.IDENTITY;
import static dev.corpusforge.filters.TestSamples.hashed;
import static dev.corpusforge.filters.TestSamples.sample;

import dev.corpusforge.core.StepResult;
import dev.corpusforge.core.testing.TestPipelineExtension;
import dev.corpusforge.schemas.ImageTextSample;
import dev.corpusforge.schemas.Reject;
import org.apache.beam.sdk.coders.StringUtf8Coder;
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
public class DuplicateFiltersTest {
  TestPipeline p;

  private static PCollection<String> ids(PCollection<ImageTextSample> kept) {
    return kept.apply(
        "ids " + kept.getName(),
        MapElements.into(TypeDescriptors.strings()).via(ImageTextSample::getSampleId));
  }

  private static PCollection<String> reasons(PCollection<Reject> rejects) {
    return rejects.apply(
        "reasons " + rejects.getName(),
        MapElements.into(TypeDescriptors.strings())
            .via((Reject r) -> r.getSampleId() + ":" + r.getReason() + ":" + r.getDetail()));
  }

  @Test
  public void exactDuplicatesKeepTheSmallestId() {
    StepResult<ImageTextSample> out =
        p.apply(
                Create.of(
                        hashed("b", "h1", 1),
                        hashed("a", "h1", 1),
                        hashed("c", "h1", 1),
                        hashed("d", "h2", 2))
                    .withCoder(AvroCoder.of(ImageTextSample.class)))
            .apply(ExactDuplicateFilter.of(ImageTextSample::getPixelHash, IDENTITY));
    PAssert.that(ids(out.kept())).containsInAnyOrder("a", "d");
    PAssert.that(reasons(out.rejects()))
        .containsInAnyOrder(
            "b:dup_image_exact:same pixels as a (src/a)",
            "c:dup_image_exact:same pixels as a (src/a)");
    p.run().waitUntilFinish();
  }

  @Test
  public void nearDuplicatesWithinTheRadiusAreDropped() {
    long base = 0x0123456789abcdefL;
    StepResult<ImageTextSample> out =
        p.apply(
                Create.of(
                        hashed("a", "1", base),
                        hashed("b", "2", base ^ 0b1011L), // 3 bits from a
                        hashed("c", "3", base ^ 0xff00ff00L), // 16 bits from a
                        hashed("d", "4", ~base)) // 64 bits away
                    .withCoder(AvroCoder.of(ImageTextSample.class)))
            .apply(NearDuplicateFilter.of(ImageTextSample::getPhash, IDENTITY, 4));
    PAssert.that(ids(out.kept())).containsInAnyOrder("a", "c", "d");
    PAssert.that(reasons(out.rejects()))
        .containsInAnyOrder("b:dup_image_near:perceptual hash within 3 bits of a");
    p.run().waitUntilFinish();
  }

  @Test
  public void frequentCaptionsAreDroppedCountingTheWholeInput() {
    // "sunset" occurs 3 times in the input but only 2 records reach the filter: the count is 3
    PCollection<String> all =
        p.apply(
            "All captions",
            Create.of("sunset", "sunset", "sunset", "a dog", "a cat")
                .withCoder(StringUtf8Coder.of()));
    StepResult<ImageTextSample> out =
        p.apply(
                "Survivors",
                Create.of(sample("1", "sunset"), sample("2", "sunset"), sample("3", "a dog"))
                    .withCoder(AvroCoder.of(ImageTextSample.class)))
            .apply(CaptionFrequencyFilter.of(all, ImageTextSample::getCaption, IDENTITY, 2));
    PAssert.that(ids(out.kept())).containsInAnyOrder("3");
    PAssert.that(reasons(out.rejects()))
        .containsInAnyOrder(
            "1:caption_frequent:caption occurs 3 times > max 2",
            "2:caption_frequent:caption occurs 3 times > max 2");
    p.run().waitUntilFinish();
  }
}
