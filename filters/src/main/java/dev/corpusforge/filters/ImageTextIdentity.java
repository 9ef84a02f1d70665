package dev.corpusforge.filters;

import dev.corpusforge.core.RecordIdentity;
import dev.corpusforge.schemas.ImageTextSample;

/** Sample id and source of an {@link ImageTextSample}, for its reject rows. */
public final class ImageTextIdentity implements RecordIdentity<ImageTextSample> {
  public static final ImageTextIdentity INSTANCE = new ImageTextIdentity();

  @Override
  public String sampleId(ImageTextSample record) {
    return record.getSampleId();
  }

  @Override
  public String source(ImageTextSample record) {
    return record.getSource();
  }
}
