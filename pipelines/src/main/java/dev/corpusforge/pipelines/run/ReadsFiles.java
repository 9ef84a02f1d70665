package dev.corpusforge.pipelines.run;

import java.util.List;

/**
 * A pipeline configuration that reads files besides its inputs (decompose's evaluation sets): the
 * run's fingerprint lists them with the inputs, so {@code --resume} refuses a run whose files
 * changed.
 */
public interface ReadsFiles {
  /** Files or folders, local or s3://, read by the run besides its inputs. */
  List<String> filesRead();
}
