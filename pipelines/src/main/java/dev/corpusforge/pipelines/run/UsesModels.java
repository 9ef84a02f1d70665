package dev.corpusforge.pipelines.run;

import java.util.List;

/** A pipeline configuration that runs model bundles; the manifest records which ones. */
public interface UsesModels {
  /** Locations (folders or s3:// prefixes) of the bundles the run uses. */
  List<String> modelBundles();
}
