package dev.corpusforge.filters.text;

import dev.corpusforge.core.Outcome;
import dev.corpusforge.core.Step;
import dev.corpusforge.schemas.ImageTextSample;

/** The text stage of {@code image-text}: cleans the caption, then applies {@link TextRules}. */
public final class TextStep implements Step<ImageTextSample, ImageTextSample> {
  private final CaptionCleaner cleaner;
  private final TextRules rules;

  public TextStep(CaptionCleaner cleaner, TextRules rules) {
    this.cleaner = cleaner;
    this.rules = rules;
  }

  @Override
  public Outcome<ImageTextSample> apply(ImageTextSample sample) {
    String caption = cleaner.clean(sample.getCaption());
    return rules
        .check(caption)
        .toOutcome(ImageTextSample.newBuilder(sample).setCaption(caption).build());
  }
}
