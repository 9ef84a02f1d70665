package dev.corpusforge.pipelines.cli;

import dev.corpusforge.scorers.BundleFiles;
import dev.corpusforge.scorers.ModelBundle;
import dev.corpusforge.scorers.beam.ScoringConfig;
import java.io.IOException;

/**
 * Checks a scoring setup before any work starts: the bundle is complete and usable, the device
 * exists.
 */
final class ScoringPreflight {
  private ScoringPreflight() {}

  static void check(ScoringConfig scoring) throws IOException {
    ModelBundle bundle;
    try {
      bundle = ModelBundle.load(BundleFiles.localFolder(scoring.bundle()));
    } catch (ModelBundle.InvalidBundleException e) {
      throw new IllegalArgumentException("--score-model: " + e.getMessage());
    }
    if (bundle.spec().text() == null || bundle.spec().image() == null) {
      throw new IllegalArgumentException(
          "--score-model "
              + scoring.bundle()
              + " needs a text and an image encoder; bundle.json describes "
              + (bundle.spec().text() == null ? "no text encoder" : "no image encoder"));
    }
    try {
      scoring.device().resolve();
    } catch (IllegalStateException e) {
      throw new IllegalArgumentException(e.getMessage());
    }
  }
}
