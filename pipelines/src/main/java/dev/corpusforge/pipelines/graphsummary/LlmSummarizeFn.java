package dev.corpusforge.pipelines.graphsummary;

import dev.corpusforge.annotators.decompose.DocumentTokenizer;
import dev.corpusforge.core.Rejects;
import dev.corpusforge.core.StepResult;
import dev.corpusforge.pipelines.llm.ChatClient;
import dev.corpusforge.pipelines.llm.LlmConfig;
import dev.corpusforge.schemas.GraphSummarySample;
import dev.corpusforge.schemas.Reject;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Instant;

/**
 * Asks the LLM for each sample's summary, {@code --llm-concurrency} requests in flight per
 * instance; answers are emitted in input order as they complete, the rest at the end of the bundle.
 * A failed request is a reject with the client's reason ({@code llm_timeout}, {@code
 * llm_unreachable}, {@code llm_http_<code>}, {@code llm_bad_response}); an answer must pass {@link
 * SummaryCheck}. Metrics (namespace {@code summarize}): {@code requests}, {@code cache_hits},
 * {@code failures}.
 */
final class LlmSummarizeFn extends DoFn<GraphSummarySample, GraphSummarySample> {
  private final LlmConfig llm;
  private final DocumentTokenizer.Spec tokenizerSpec;
  private final int maxSummaryTokens;
  private final TupleTag<Reject> rejectTag;
  private final Counter requests = Metrics.counter(GraphReasons.SUMMARIZE, "requests");
  private final Counter cacheHits = Metrics.counter(GraphReasons.SUMMARIZE, "cache_hits");
  private final Counter failures = Metrics.counter(GraphReasons.SUMMARIZE, "failures");
  private transient ChatClient client;
  private transient ExecutorService pool;
  private transient DocumentTokenizer tokenizer;
  private transient ArrayDeque<Pending> pending;

  private record Pending(GraphSummarySample sample, Future<ChatClient.Answer> answer) {}

  private interface Out {
    void kept(GraphSummarySample s);

    void rejected(Reject r);
  }

  LlmSummarizeFn(
      LlmConfig llm,
      DocumentTokenizer.Spec tokenizerSpec,
      int maxSummaryTokens,
      TupleTag<Reject> rejectTag) {
    this.llm = llm;
    this.tokenizerSpec = tokenizerSpec;
    this.maxSummaryTokens = maxSummaryTokens;
    this.rejectTag = rejectTag;
  }

  /** The LLM step over samples whose summary is still empty. */
  static PTransform<PCollection<GraphSummarySample>, StepResult<GraphSummarySample>> of(
      LlmConfig llm, DocumentTokenizer.Spec tokenizer, int maxSummaryTokens) {
    return new PTransform<>() {
      @Override
      public StepResult<GraphSummarySample> expand(PCollection<GraphSummarySample> samples) {
        TupleTag<GraphSummarySample> answeredTag = new TupleTag<>();
        TupleTag<Reject> failedTag = new TupleTag<>();
        PCollectionTuple answered =
            samples.apply(
                "Ask",
                ParDo.of(new LlmSummarizeFn(llm, tokenizer, maxSummaryTokens, failedTag))
                    .withOutputTags(answeredTag, TupleTagList.of(failedTag)));
        return StepResult.of(
            answered, answeredTag, AvroCoder.of(GraphSummarySample.class), failedTag);
      }
    };
  }

  @Setup
  public void setup() throws IOException {
    client = new ChatClient(llm);
    pool = Executors.newFixedThreadPool(llm.concurrency());
    tokenizer = tokenizerSpec.open();
  }

  @StartBundle
  public void start() {
    pending = new ArrayDeque<>();
  }

  @ProcessElement
  public void process(@Element GraphSummarySample sample, ProcessContext c) {
    pending.add(new Pending(sample, pool.submit(() -> client.ask(sample.getPrompt()))));
    while (pending.size() > llm.concurrency() * 2
        || (!pending.isEmpty() && pending.peek().answer().isDone())) {
      emit(
          pending.poll(),
          new Out() {
            @Override
            public void kept(GraphSummarySample s) {
              c.output(s);
            }

            @Override
            public void rejected(Reject r) {
              c.output(rejectTag, r);
            }
          });
    }
  }

  @FinishBundle
  public void finish(FinishBundleContext c) {
    while (!pending.isEmpty()) {
      emit(
          pending.poll(),
          new Out() {
            @Override
            public void kept(GraphSummarySample s) {
              c.output(s, Instant.now(), GlobalWindow.INSTANCE);
            }

            @Override
            public void rejected(Reject r) {
              c.output(rejectTag, r, Instant.now(), GlobalWindow.INSTANCE);
            }
          });
    }
  }

  private void emit(Pending p, Out out) {
    GraphSummarySample s = p.sample();
    ChatClient.Answer answer;
    try {
      answer = p.answer().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      answer = ChatClient.Answer.failed(ChatClient.TIMEOUT, "interrupted");
    } catch (ExecutionException e) {
      out.rejected(
          Rejects.ofError(s.getSampleId(), s.getSeedNode(), GraphReasons.SUMMARIZE, e.getCause()));
      failures.inc();
      return;
    }
    if (answer.cached()) {
      cacheHits.inc();
    } else {
      requests.inc();
    }
    if (answer.reason() != null) {
      failures.inc();
      out.rejected(
          Rejects.of(
              s.getSampleId(),
              s.getSeedNode(),
              GraphReasons.SUMMARIZE,
              answer.reason(),
              answer.detail()));
      return;
    }
    String summary = answer.text().strip();
    String[] problem = SummaryCheck.problem(summary, tokenizer, maxSummaryTokens);
    if (problem != null) {
      out.rejected(
          Rejects.of(
              s.getSampleId(), s.getSeedNode(), GraphReasons.SUMMARIZE, problem[0], problem[1]));
      return;
    }
    out.kept(GraphSummarySample.newBuilder(s).setSummary(summary).build());
  }

  @Teardown
  public void teardown() {
    if (pool != null) {
      pool.shutdownNow();
    }
    if (client != null) {
      client.close();
    }
    if (tokenizer != null) {
      tokenizer.close();
    }
  }
}
