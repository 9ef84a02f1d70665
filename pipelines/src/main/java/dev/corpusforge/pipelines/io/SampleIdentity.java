package dev.corpusforge.pipelines.io;

import dev.corpusforge.filters.core.RecordIdentity;
import dev.corpusforge.schemas.ImageTextSample;

/** Sample id and source of an {@link ImageTextSample}, for its reject rows. */
public final class SampleIdentity implements RecordIdentity<ImageTextSample> {
  public static final SampleIdentity INSTANCE = new SampleIdentity();

  @Override
  public String sampleId(ImageTextSample record) {
    return record.getSampleId();
  }

  @Override
  public String source(ImageTextSample record) {
    return record.getSource();
  }
}
