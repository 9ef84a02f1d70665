package dev.corpusforge.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corpusforge.core.testing.TestPipelineExtension;
import dev.corpusforge.schemas.Reject;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestPipelineExtension.class)
public class BatchedTest {
  TestPipeline p;

  /**
   * Upper-cases a batch of words in one call. The whole batch fails if it holds "boom" (which then
   * fails alone too); "skip" is dropped by the rule.
   */
  static final class Shout implements BatchStep<String, String> {
    @Override
    public List<Outcome<String>> apply(List<String> batch) {
      if (batch.contains("boom")) {
        throw new IllegalStateException("boom in a batch of " + batch.size());
      }
      List<Outcome<String>> out = new ArrayList<>();
      for (String w : batch) {
        out.add(
            w.equals("skip")
                ? Outcome.drop("skipped", "the word skip")
                : Outcome.keep(w.toUpperCase() + ":" + batch.size()));
      }
      return out;
    }
  }

  static final List<String> WORDS =
      List.of("alpha", "beta", "boom", "gamma", "skip", "delta", "eps", "zeta", "eta", "theta");

  private void expectEveryRecordOnce(
      PTransform<PCollection<String>, StepResult<String>> batched, String namespace) {
    PCollection<String> words = p.apply(Create.of(WORDS).withCoder(StringUtf8Coder.of()));
    StepResult<String> out = words.apply(batched);
    // every word but boom and skip kept once, upper-cased; the batch holding boom was retried
    // word by word, so the words beside it were kept from batches of one
    PAssert.that(
            out.kept()
                .apply(
                    "Word only",
                    MapElements.into(TypeDescriptors.strings())
                        .via((String s) -> s.substring(0, s.indexOf(':')))))
        .containsInAnyOrder("ALPHA", "BETA", "GAMMA", "DELTA", "EPS", "ZETA", "ETA", "THETA");
    PAssert.that(
            out.rejects()
                .apply(
                    "Reject line",
                    MapElements.into(TypeDescriptors.strings())
                        .via(
                            (Reject r) ->
                                r.getSampleId()
                                    + " "
                                    + r.getSource()
                                    + " "
                                    + r.getStage()
                                    + " "
                                    + r.getReason()
                                    + " "
                                    + r.getDetail())))
        .containsInAnyOrder(
            "boom text:boom shout error:IllegalStateException boom in a batch of 1",
            "skip text:skip shout skipped the word skip");
    PipelineResult result = p.run();
    result.waitUntilFinish();
    assertEquals(10, counter(result, namespace, "items"));
    assertEquals(8, counter(result, namespace, "kept"));
    assertEquals(2, counter(result, namespace, "rejected"));
    assertEquals(1, counter(result, namespace, "skipped"));
    assertEquals(1, counter(result, namespace, "retried_batches"));
    assertTrue(counter(result, namespace, "batches") >= 3, "batches of at most 4 words");
  }

  @Test
  void groupedBatchesRetryAFailingBatchRecordByRecord() {
    expectEveryRecordOnce(
        Batched.of(
            "shout",
            new Shout(),
            StageTest.TEXT,
            StringUtf8Coder.of(),
            Batching.grouped(4, 1_000, 1)),
        "shout");
  }

  /** The same step as a stage of a recipe's chain, batching what each worker holds. */
  @Test
  void aBatchedStageInTheChainKeepsEveryRecordOnce() {
    expectEveryRecordOnce(
        Stage.batched("shout", new Shout(), StageTest.TEXT, StringUtf8Coder.of(), 4), "shout");
  }

  static long counter(PipelineResult result, String namespace, String name) {
    long sum = 0;
    for (MetricResult<Long> c :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(namespace, name))
                    .build())
            .getCounters()) {
      sum += c.getAttempted();
    }
    return sum;
  }
}
