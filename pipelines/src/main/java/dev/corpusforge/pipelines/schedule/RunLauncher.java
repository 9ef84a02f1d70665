package dev.corpusforge.pipelines.schedule;

import java.nio.file.Path;
import java.util.List;

/** Starts one run of a scheduled job and waits for its end. */
public interface RunLauncher {
  /** How a run ended: succeeded with the manifest's counts, or failed with the reason. */
  record Ending(boolean succeeded, long inputs, long kept, long rejected, String message) {
    public static Ending failed(String message) {
      return new Ending(false, 0, 0, 0, message);
    }
  }

  /**
   * Runs {@code job} over {@code inputFiles} into {@code runOutput}, its console going to {@code
   * log}. Never throws for a failed run; an interrupt stops the run and ends it failed.
   */
  Ending launch(ScheduledJob job, List<String> inputFiles, String runOutput, Path log)
      throws InterruptedException;
}
