package dev.corpusforge.core.output;

import dev.corpusforge.core.testing.TestPipelineExtension;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestPipelineExtension.class)
class AllRecordsTest {
  TestPipeline p;

  /** Its records sorted and joined, so the list compares whatever order the runner gave. */
  private static String sorted(List<String> records) {
    List<String> copy = new ArrayList<>(records);
    copy.sort(null);
    return records.size() + ":" + String.join(",", copy);
  }

  @Test
  void everyRecordInExactlyOneListAndOneEmptyListForNone() {
    PAssert.that(
            p.apply("some", Create.of("c", "a", "b", "a").withCoder(StringUtf8Coder.of()))
                .apply("all of some", AllRecords.inOneList())
                .apply(
                    "sorted some",
                    MapElements.into(TypeDescriptors.strings()).via(AllRecordsTest::sorted)))
        .containsInAnyOrder("4:a,a,b,c");
    PAssert.that(
            p.apply("none", Create.empty(StringUtf8Coder.of()))
                .apply("all of none", AllRecords.inOneList())
                .apply(
                    "sorted none",
                    MapElements.into(TypeDescriptors.strings()).via(AllRecordsTest::sorted)))
        .containsInAnyOrder("0:");
    p.run().waitUntilFinish();
  }
}
