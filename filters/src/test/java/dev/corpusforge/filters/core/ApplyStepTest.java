package dev.corpusforge.filters.core;

import static dev.corpusforge.filters.TestSamples.IDENTITY;
import static dev.corpusforge.filters.TestSamples.sample;

import dev.corpusforge.schemas.ImageTextSample;
import dev.corpusforge.schemas.Reject;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.Rule;
import org.junit.Test;

public class ApplyStepTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  /** Keeps "good", drops "bad" with a reason, throws on "boom", violates a rule on "rule". */
  static final class ExampleStep implements Step<ImageTextSample> {
    @Override
    public Outcome<ImageTextSample> apply(ImageTextSample s) throws Exception {
      switch (s.getCaption()) {
        case "good":
          return Outcome.keep(ImageTextSample.newBuilder(s).setLanguage("en").build());
        case "bad":
          return Outcome.drop("too_bad", "it was bad");
        case "rule":
          throw new RuleViolation("broke_rule", "rule detail");
        default:
          throw new IllegalStateException("boom " + s.getSampleId());
      }
    }
  }

  @Test
  public void routesKeptDroppedAndFailedRecords() {
    StepResult<ImageTextSample> out =
        p.apply(Create.of(sample("1", "good"), sample("2", "bad"), sample("3", "boom"), sample("4", "rule")).withCoder(AvroCoder.of(ImageTextSample.class)))
            .apply(ApplyStep.of("example", new ExampleStep(), IDENTITY));
    PAssert.that(out.kept().apply("kept ids", MapElements.into(TypeDescriptors.strings()).via(s -> s.getSampleId() + ":" + s.getLanguage()))).containsInAnyOrder("1:en");
    PAssert.that(out.rejects().apply("reject rows", MapElements.into(TypeDescriptors.strings()).via((Reject r) -> r.getSampleId() + ":" + r.getStage() + ":" + r.getReason() + ":" + r.getDetail())))
        .containsInAnyOrder("2:example:too_bad:it was bad", "3:example:error:IllegalStateException:boom 3", "4:example:broke_rule:rule detail");
    p.run().waitUntilFinish();
  }

  @Test
  public void longDetailsAreShortened() {
    Reject r = Rejects.of("id", "src", "s", "r", "x".repeat(5000));
    org.junit.Assert.assertEquals(Rejects.MAX_DETAIL_CHARS + 1, r.getDetail().length());
  }
}
