package dev.corpusforge.filters.image;

import dev.corpusforge.core.Stage;
import dev.corpusforge.core.StepResult;
import dev.corpusforge.core.testing.TestPipelineExtension;
import dev.corpusforge.filters.ImageTextIdentity;
import dev.corpusforge.schemas.ImageTextSample;
import dev.corpusforge.schemas.Reject;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The image stage as a Beam transform on real files: both outputs checked. */
@ExtendWith(TestPipelineExtension.class)
public class ImageStepTransformTest {
  TestPipeline p;

  @Test
  public void keepsDecodableImagesAndRejectsHostileOnes() throws Exception {
    List<ImageTextSample> samples = new ArrayList<>();
    for (String name :
        List.of(
            "cmyk.jpg",
            "rgb16.png",
            "picture.webp",
            "truncated.jpg",
            "html-page.jpg",
            "zero.jpg",
            "bomb-header.png")) {
      samples.add(
          ImageTextSample.newBuilder()
              .setSampleId(name)
              .setSource("hostile/" + name)
              .setCaption("c")
              .setImage(ByteBuffer.wrap(ImageCodecTest.bytes(name)))
              .build());
    }
    StepResult<ImageTextSample> out =
        p.apply(Create.of(samples).withCoder(AvroCoder.of(ImageTextSample.class)))
            .apply(
                Stage.of(
                    "image",
                    new ImageStep(
                        ImageRules.defaults(), new ImageOutput("max-side", 256, "jpeg", 90)),
                    ImageTextIdentity.INSTANCE));
    PAssert.that(
            out.kept()
                .apply(
                    "kept",
                    MapElements.into(TypeDescriptors.strings())
                        .via(
                            s ->
                                s.getSampleId()
                                    + "|"
                                    + s.getImageFormat()
                                    + "|"
                                    + (Math.max(s.getWidth(), s.getHeight()) <= 256)
                                    + "|"
                                    + (s.getPixelHash() != null))))
        .containsInAnyOrder(
            "cmyk.jpg|jpeg|true|true", "rgb16.png|jpeg|true|true", "picture.webp|jpeg|true|true");
    PAssert.that(
            out.rejects()
                .apply(
                    "rejects",
                    MapElements.into(TypeDescriptors.strings())
                        .via((Reject r) -> r.getSampleId() + "|" + r.getReason())))
        .containsInAnyOrder(
            "truncated.jpg|image_truncated",
            "html-page.jpg|image_unknown_format",
            "zero.jpg|image_empty",
            "bomb-header.png|image_too_many_pixels");
    p.run().waitUntilFinish();
  }
}
