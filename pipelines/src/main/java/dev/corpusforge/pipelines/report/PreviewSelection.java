package dev.corpusforge.pipelines.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corpusforge.core.output.StatsLines;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.Top;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Of the workers' drawn previews, the {@code count} kept and {@code count} rejected with the
 * smallest sample ids.
 */
public final class PreviewSelection extends PTransform<PCollection<String>, PCollection<String>> {
  private final int count;

  public PreviewSelection(int count) {
    this.count = count;
  }

  /** Largest sample id first, so {@link Top} keeps the smallest. */
  static final class ReverseSampleOrder implements Comparator<String>, Serializable {
    @Override
    public int compare(String a, String b) {
      return sampleId(b).compareTo(sampleId(a));
    }
  }

  /**
   * Keeps in {@code previews} at most {@code count} previews with the smallest sample ids (one
   * worker's share), drawing only those that enter.
   */
  public static void offer(
      TreeMap<String, String> previews, int count, String sampleId, Supplier<String> draw) {
    if (previews.size() >= count && sampleId.compareTo(previews.lastKey()) > 0) {
      return;
    }
    previews.put(sampleId, draw.get());
    if (previews.size() > count) {
      previews.pollLastEntry();
    }
  }

  @Override
  public PCollection<String> expand(PCollection<String> previews) {
    return previews
        .apply(
            "By status",
            WithKeys.of((String line) -> field(line, "status"))
                .withKeyType(TypeDescriptors.strings()))
        .apply("Smallest ids", Top.perKey(count, new ReverseSampleOrder()))
        .apply("Chosen", Values.create())
        .apply("One per line", Flatten.iterables());
  }

  static String sampleId(String line) {
    return field(line, "sample_id");
  }

  private static String field(String line, String name) {
    try {
      JsonNode n = StatsLines.JSON.readTree(line);
      return n.path(name).asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
