package dev.corpusforge.filters.dedup;

import static dev.corpusforge.filters.TestSamples.IDENTITY;
import static dev.corpusforge.filters.TestSamples.hashed;
import static dev.corpusforge.filters.TestSamples.sample;

import dev.corpusforge.core.Rejects;
import dev.corpusforge.core.StepResult;
import dev.corpusforge.core.testing.TestPipelineExtension;
import dev.corpusforge.schemas.ImageTextSample;
import dev.corpusforge.schemas.Reject;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
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

  @Test
  public void decisionsOnKeysSeeNoPayloadAndKeepTheFullRecords() {
    long base = 0x0123456789abcdefL;
    ImageTextSample a = withImage(hashed("a", "h1", base), 1);
    ImageTextSample b = withImage(hashed("b", "h1", base), 2);
    ImageTextSample c = withImage(hashed("c", "h2", base ^ 0b111L), 3);
    ImageTextSample d = withImage(hashed("d", "h3", ~base), 4);
    StepResult<ImageTextSample> out =
        p.apply(Create.of(a, b, c, d).withCoder(AvroCoder.of(ImageTextSample.class)))
            .apply(
                DecideOnKeys.of(
                        (ImageTextSample s) -> ImageTextSample.newBuilder(s).setImage(null).build(),
                        IDENTITY)
                    .then("Payload check", new RejectPayloads())
                    // a decision that holds a collection of its own: nothing may capture it
                    .then(
                        "Caption frequency",
                        CaptionFrequencyFilter.of(
                            p.apply(
                                "All captions",
                                Create.of("c a", "c b", "c c", "c d")
                                    .withCoder(StringUtf8Coder.of())),
                            ImageTextSample::getCaption,
                            IDENTITY,
                            1))
                    .then("Exact", ExactDuplicateFilter.of(ImageTextSample::getPixelHash, IDENTITY))
                    .then("Near", NearDuplicateFilter.of(ImageTextSample::getPhash, IDENTITY, 4)));
    // the full records, image bytes and all, of the ids every decision kept
    PAssert.that(out.kept()).containsInAnyOrder(a, d);
    PAssert.that(reasons(out.rejects()))
        .containsInAnyOrder(
            "b:dup_image_exact:same pixels as a (src/a)",
            "c:dup_image_near:perceptual hash within 3 bits of a");
    p.run().waitUntilFinish();
  }

  private static ImageTextSample withImage(ImageTextSample s, int fill) {
    byte[] bytes = new byte[64];
    Arrays.fill(bytes, (byte) fill);
    return ImageTextSample.newBuilder(s).setImage(ByteBuffer.wrap(bytes)).build();
  }

  /** A decision that rejects every record that still carries its image bytes. */
  private static final class RejectPayloads
      extends PTransform<PCollection<ImageTextSample>, StepResult<ImageTextSample>> {
    @Override
    public StepResult<ImageTextSample> expand(PCollection<ImageTextSample> in) {
      TupleTag<ImageTextSample> kept = new TupleTag<>() {};
      TupleTag<Reject> rejected = new TupleTag<>() {};
      PCollectionTuple out =
          in.apply(
              ParDo.of(
                      new DoFn<ImageTextSample, ImageTextSample>() {
                        @ProcessElement
                        public void process(
                            @Element ImageTextSample s, MultiOutputReceiver receiver) {
                          if (s.getImage() != null) {
                            receiver
                                .get(rejected)
                                .output(
                                    Rejects.of(
                                        s.getSampleId(),
                                        s.getSource(),
                                        "test",
                                        "payload_seen",
                                        ""));
                          } else {
                            receiver.get(kept).output(s);
                          }
                        }
                      })
                  .withOutputTags(kept, TupleTagList.of(rejected)));
      return StepResult.of(out, kept, in.getCoder(), rejected);
    }
  }
}
