package dev.corpusforge.filters;

import dev.corpusforge.core.RecordIdentity;
import dev.corpusforge.schemas.ImageTextSample;

/** Small records for transform tests. */
public final class TestSamples {
  private TestSamples() {}

  public static final RecordIdentity<ImageTextSample> IDENTITY = ImageTextIdentity.INSTANCE;

  public static ImageTextSample sample(String id, String caption) {
    return ImageTextSample.newBuilder()
        .setSampleId(id)
        .setSource("src/" + id)
        .setCaption(caption)
        .build();
  }

  public static ImageTextSample hashed(String id, String pixelSha, long phash) {
    return ImageTextSample.newBuilder()
        .setSampleId(id)
        .setSource("src/" + id)
        .setCaption("c " + id)
        .setPixelHash(pixelSha)
        .setPhash(phash)
        .build();
  }
}
