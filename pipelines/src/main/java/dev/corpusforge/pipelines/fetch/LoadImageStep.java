package dev.corpusforge.pipelines.fetch;

import dev.corpusforge.core.Outcome;
import dev.corpusforge.core.Step;
import dev.corpusforge.core.cache.CacheSpec;
import dev.corpusforge.filters.image.ImageRules;
import java.awt.image.BufferedImage;
import java.io.Serializable;
import org.apache.beam.sdk.transforms.SerializableFunction;

/**
 * The load-image step the image families share: the record's image ({@link ImageLoader}: local,
 * s3:// or http(s) through the guarded fetcher and the run's fetch cache, checked with the image
 * rules) decoded once per record, with one loader per worker, and made into the family's next
 * record.
 */
public final class LoadImageStep<I, O> implements Step<I, O> {
  /** The family's record for an input and its decoded image. */
  public interface Loaded<I, O> extends Serializable {
    O of(I input, BufferedImage rgb);
  }

  private final ImageRules rules;
  private final FetchConfig fetch;
  private final CacheSpec cache;
  private final SerializableFunction<I, String> location;
  private final Loaded<I, O> loaded;
  private transient ImageLoader images;

  public LoadImageStep(
      ImageRules rules,
      FetchConfig fetch,
      CacheSpec cache,
      SerializableFunction<I, String> location,
      Loaded<I, O> loaded) {
    this.rules = rules;
    this.fetch = fetch;
    this.cache = cache;
    this.location = location;
    this.loaded = loaded;
  }

  @Override
  public void setup() {
    images = new ImageLoader(rules, fetch, cache);
  }

  @Override
  public Outcome<O> apply(I input) throws Exception {
    return Outcome.keep(loaded.of(input, images.load(location.apply(input))));
  }

  @Override
  public void teardown() {
    if (images != null) {
      images.close();
    }
  }
}
