package dev.corpusforge.pipelines.run;

import dev.corpusforge.core.Rejects;
import dev.corpusforge.core.output.Accounting;
import dev.corpusforge.core.output.StatsLines;
import dev.corpusforge.core.testing.TestPipelineExtension;
import dev.corpusforge.schemas.Reject;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestPipelineExtension.class)
public class AccountingTest {
  TestPipeline p;

  private static Reject reject(String id) {
    return Rejects.of(id, "src/" + id, "text", "caption_too_short", null);
  }

  @Test
  public void namesMissingDuplicatedAndUnknownIds() {
    PCollection<String> inputs =
        p.apply("inputs", Create.of("a", "b", "c", "d").withCoder(StringUtf8Coder.of()));
    PCollection<String> kept =
        p.apply("kept", Create.of("a", "b", "x").withCoder(StringUtf8Coder.of()));
    PCollection<Reject> rejects =
        p.apply(
            "rejects", Create.of(reject("b"), reject("d")).withCoder(AvroCoder.of(Reject.class)));
    PCollection<String> lines = inputs.apply(Accounting.of(kept, rejects));
    PAssert.that(lines)
        .satisfies(
            all -> {
              List<String> list = new ArrayList<>();
              all.forEach(list::add);
              try {
                RunStats stats = RunStats.parse(list);
                Assertions.assertEquals(4, stats.inputs);
                Assertions.assertEquals(3, stats.kept);
                Assertions.assertEquals(2, stats.rejected);
                Assertions.assertFalse(stats.balanced());
                Assertions.assertEquals(List.of("c"), stats.violationExamples.get("missing"));
                Assertions.assertEquals(List.of("b"), stats.violationExamples.get("duplicated"));
                Assertions.assertEquals(List.of("x"), stats.violationExamples.get("unknown"));
              } catch (java.io.IOException e) {
                throw new AssertionError(e);
              }
              return null;
            });
    p.run().waitUntilFinish();
  }

  @Test
  public void balancedBooksHaveNoViolation() {
    PCollection<String> inputs =
        p.apply("inputs", Create.of("a", "b").withCoder(StringUtf8Coder.of()));
    PCollection<String> kept = p.apply("kept", Create.of("a").withCoder(StringUtf8Coder.of()));
    PCollection<Reject> rejects =
        p.apply("rejects", Create.of(reject("b")).withCoder(AvroCoder.of(Reject.class)));
    PAssert.that(inputs.apply(Accounting.of(kept, rejects)))
        .satisfies(
            all -> {
              List<String> list = new ArrayList<>();
              all.forEach(list::add);
              try {
                Assertions.assertTrue(RunStats.parse(list).balanced());
              } catch (java.io.IOException e) {
                throw new AssertionError(e);
              }
              return null;
            });
    p.run().waitUntilFinish();
  }

  @Test
  public void everyTotalIsWrittenEvenWhenZero() {
    PCollection<String> inputs = p.apply("inputs", Create.of("a").withCoder(StringUtf8Coder.of()));
    PCollection<String> kept = p.apply("kept", Create.empty(StringUtf8Coder.of()));
    PCollection<Reject> rejects =
        p.apply("rejects", Create.of(reject("a")).withCoder(AvroCoder.of(Reject.class)));
    PAssert.that(inputs.apply(Accounting.of(kept, rejects)))
        .containsInAnyOrder(
            StatsLines.count("inputs", 1),
            StatsLines.count("kept", 0),
            StatsLines.count("rejected", 1));
    p.run().waitUntilFinish();
  }
}
