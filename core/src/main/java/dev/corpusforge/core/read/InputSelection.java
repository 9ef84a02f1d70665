package dev.corpusforge.core.read;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.SerializableFunction;

/**
 * A run over some of its inputs only ({@code forge retry}): the sample ids to keep, one per line in
 * a file the options name. Every input read is kept or dropped by its id before any step, so the
 * run's accounting covers exactly the inputs chosen.
 */
public final class InputSelection {
  private InputSelection() {}

  /** The file of sample ids as pipeline options. */
  public interface Options extends PipelineOptions {
    @Description("File of the sample ids (one per line) this run reads; all when empty.")
    String getForgeOnlyIds();

    void setForgeOnlyIds(String file);
  }

  /** The file of ids to keep, or null when every input is read. */
  public static String file(PipelineOptions options) {
    String file = options.as(Options.class).getForgeOnlyIds();
    return file == null || file.isBlank() ? null : file;
  }

  /** Id sets already read in this JVM, by file. */
  private static final Map<String, Set<String>> LOADED = new ConcurrentHashMap<>();

  /** The ids in {@code file}, read once per JVM. */
  public static Set<String> ids(String file) {
    return LOADED.computeIfAbsent(
        file,
        f -> {
          try (InputStream in =
              Channels.newInputStream(FileSystems.open(FileSystems.matchNewResource(f, false)))) {
            return Set.copyOf(
                new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .map(String::strip)
                    .filter(l -> !l.isEmpty())
                    .toList());
          } catch (IOException e) {
            throw new IllegalStateException("cannot read the ids to run, " + f + ": " + e, e);
          }
        });
  }

  /** Whether a record's id is one of the file's. */
  public static <T> SerializableFunction<T, Boolean> keeps(
      String file, SerializableFunction<T, String> sampleId) {
    return record -> ids(file).contains(sampleId.apply(record));
  }
}
