package dev.corpusforge.filters.language;

import dev.corpusforge.core.Outcome;
import dev.corpusforge.core.Step;
import dev.corpusforge.schemas.ImageTextSample;

/**
 * Labels the caption's language ({@code language}, {@code language_score}), then applies the {@link
 * LanguageRule}.
 */
public final class LanguageStep implements Step<ImageTextSample, ImageTextSample> {
  private final LanguageRule rule;

  public LanguageStep(LanguageRule rule) {
    this.rule = rule;
  }

  @Override
  public Outcome<ImageTextSample> apply(ImageTextSample sample) {
    LanguageIdentifier.Detection detection =
        LanguageIdentifier.detect(sample.getCaption(), rule.lowAccuracy());
    ImageTextSample labelled =
        ImageTextSample.newBuilder(sample)
            .setLanguage(detection.language())
            .setLanguageScore(detection.score())
            .build();
    return rule.check(detection.language(), detection.score()).toOutcome(labelled);
  }
}
