package dev.corpusforge.core.cache;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The run's cache as pipeline options, so that any transform finds it where it is planned ({@link
 * #spec}) and any worker gets it with the options, whichever pipeline it belongs to.
 */
public interface CacheOptions extends PipelineOptions {
  @Description("Folder or URI of the cache of fetched bodies and model outputs; none when empty.")
  String getForgeCache();

  void setForgeCache(String root);

  @Description("Size the cache is brought under when a run ends.")
  @Default.Long(CacheSpec.DEFAULT_MAX_BYTES)
  long getForgeCacheMaxBytes();

  void setForgeCacheMaxBytes(long bytes);

  @Description("The run whose passing outcomes (a fetch that timed out) the cache may answer.")
  String getForgeCacheScope();

  void setForgeCacheScope(String scope);

  @Description("Reasons whose cached outcomes this run computes again (forge retry).")
  java.util.List<String> getForgeCacheRetried();

  void setForgeCacheRetried(java.util.List<String> reasons);

  /** The cache these options name, or null for none. */
  static CacheSpec spec(PipelineOptions options) {
    CacheOptions cache = options.as(CacheOptions.class);
    String root = cache.getForgeCache();
    return root == null || root.isBlank()
        ? null
        : new CacheSpec(
            root,
            cache.getForgeCacheMaxBytes(),
            cache.getForgeCacheScope(),
            cache.getForgeCacheRetried());
  }
}
