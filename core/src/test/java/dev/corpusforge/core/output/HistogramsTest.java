package dev.corpusforge.core.output;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corpusforge.core.testing.TestPipelineExtension;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestPipelineExtension.class)
class HistogramsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  TestPipeline p;

  /** Word length and word count of each text, with bins [0,2) [2,4) [4,∞) and [0,1) [1,∞). */
  private static Histograms<String> twoOfEachText() {
    return Histograms.of("chars", (String s) -> (double) s.length(), 0, 2, 4)
        .and("words", (String s) -> s.isEmpty() ? Double.NaN : s.split(" ").length, 0, 2);
  }

  /** A check that the lines hold {@code expected}, as {@link #counts} writes them. */
  private static SerializableFunction<Iterable<String>, Void> countsAre(String expected) {
    return lines -> {
      try {
        assertEquals(expected, counts(lines));
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      return null;
    };
  }

  /** name → counts, whatever order the lines came in. */
  private static String counts(Iterable<String> lines) throws Exception {
    Map<String, String> byName = new TreeMap<>();
    for (String line : lines) {
      JsonNode h = JSON.readTree(line);
      byName.put(h.path("name").asText(), h.path("counts").toString());
    }
    return byName.toString();
  }

  @Test
  void everyHistogramOfOneCollectionInOnePassAndEmptyOnesForNone() {
    PCollection<String> some =
        p.apply(
                "some",
                Create.of("a", "bb", "ccc", "dddd", "e e e e e", "")
                    .withCoder(StringUtf8Coder.of()))
            .apply("histograms of some", twoOfEachText());
    // chars: "" "a" | "bb" "ccc" | "dddd" "e e e e e"; words (the empty text has none, so no
    // value): four texts of one word | one of five
    PAssert.that(some).satisfies(countsAre("{chars=[2,2,2], words=[4,1]}"));
    PCollection<String> none =
        p.apply("none", Create.empty(StringUtf8Coder.of()))
            .apply("histograms of none", twoOfEachText());
    PAssert.that(none).satisfies(countsAre("{chars=[0,0,0], words=[0,0]}"));
    p.run().waitUntilFinish();
  }

  @Test
  void partialCountsMergeAndTravelWhole() throws Exception {
    Histograms.AllBins<String> fn = twoOfEachText().bins();
    long[][] left = fn.addInput(fn.addInput(fn.createAccumulator(), "a"), "dddd");
    long[][] right = fn.addInput(fn.createAccumulator(), "bb b");
    long[][] merged = fn.mergeAccumulators(List.of(left, right));
    assertArrayEquals(new long[] {1, 0, 2}, merged[0]);
    assertArrayEquals(new long[] {2, 1}, merged[1]);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Histograms.CountsCoder.INSTANCE.encode(merged, bytes);
    long[][] back =
        Histograms.CountsCoder.INSTANCE.decode(new ByteArrayInputStream(bytes.toByteArray()));
    assertArrayEquals(merged[0], back[0]);
    assertArrayEquals(merged[1], back[1]);
  }
}
