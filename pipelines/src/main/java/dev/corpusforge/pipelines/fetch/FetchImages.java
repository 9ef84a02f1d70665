package dev.corpusforge.pipelines.fetch;

import dev.corpusforge.core.Rejects;
import dev.corpusforge.core.StepResult;
import dev.corpusforge.core.cache.CacheOptions;
import dev.corpusforge.core.cache.CacheSpec;
import dev.corpusforge.filters.blocklist.BlocklistFile;
import dev.corpusforge.filters.blocklist.BlocklistSteps;
import dev.corpusforge.filters.blocklist.UrlBlocklist;
import dev.corpusforge.schemas.ImageTextSample;
import dev.corpusforge.schemas.Reject;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Downloads the image of every sample that has a {@code url} and no bytes yet; samples that already
 * carry bytes pass through. With a run cache ({@link CacheOptions}), what an earlier run fetched is
 * answered from it ({@link FetchCache}). Each worker instance runs up to {@code concurrency}
 * requests at once; a failed fetch becomes a reject of stage {@code fetch} with the fetcher's
 * reason.
 */
public final class FetchImages
    extends PTransform<PCollection<ImageTextSample>, StepResult<ImageTextSample>> {
  public static final String STAGE = "fetch";
  private final FetchConfig config;
  private final BlocklistFile blocklist;

  private FetchImages(FetchConfig config, BlocklistFile blocklist) {
    this.config = config;
    this.blocklist = blocklist;
  }

  public static FetchImages with(FetchConfig config) {
    return new FetchImages(config, null);
  }

  /** Fetches that follow no redirect to a URL or domain on {@code blocklist} (null: none). */
  public static FetchImages with(FetchConfig config, BlocklistFile blocklist) {
    return new FetchImages(config, blocklist);
  }

  @Override
  public StepResult<ImageTextSample> expand(PCollection<ImageTextSample> input) {
    TupleTag<ImageTextSample> keptTag = new TupleTag<>();
    TupleTag<Reject> rejectTag = new TupleTag<>();
    CacheSpec cache = CacheOptions.spec(input.getPipeline().getOptions());
    PCollectionTuple out =
        input.apply(
            "Fetch URLs",
            ParDo.of(new FetchFn(config, blocklist, cache, keptTag, rejectTag))
                .withOutputTags(keptTag, TupleTagList.of(rejectTag)));
    return StepResult.of(out, keptTag, input.getCoder(), rejectTag);
  }

  static final class FetchFn extends DoFn<ImageTextSample, ImageTextSample> {
    private final FetchConfig config;
    private final BlocklistFile blocklist;
    private final CacheSpec cache;
    private final TupleTag<ImageTextSample> keptTag;
    private final TupleTag<Reject> rejectTag;
    private final Counter fetched = Metrics.counter(STAGE, "kept");
    private final Counter failed = Metrics.counter(STAGE, "rejected");
    private final Distribution bytes = Metrics.distribution(STAGE, "bytes");
    private final Distribution latency = Metrics.distribution(STAGE, "latency_ms");
    private transient Fetcher fetcher;
    private transient ExecutorService pool;
    private transient Deque<Pending> inFlight;

    FetchFn(
        FetchConfig config,
        BlocklistFile blocklist,
        CacheSpec cache,
        TupleTag<ImageTextSample> keptTag,
        TupleTag<Reject> rejectTag) {
      this.config = config;
      this.blocklist = blocklist;
      this.cache = cache;
      this.keptTag = keptTag;
      this.rejectTag = rejectTag;
    }

    private record Pending(ImageTextSample sample, Future<FetchResult> result, long startNanos) {}

    @Setup
    public void setup() throws java.io.IOException {
      if (blocklist == null) {
        fetcher = new Fetcher(config, url -> false, cache);
      } else {
        UrlBlocklist urls = BlocklistSteps.urls(blocklist);
        fetcher = new Fetcher(config, url -> urls.match(url) != null, cache);
      }
      pool =
          Executors.newFixedThreadPool(
              config.concurrency(),
              r -> {
                Thread t = new Thread(r, "corpusforge-fetch");
                t.setDaemon(true);
                return t;
              });
    }

    @StartBundle
    public void startBundle() {
      inFlight = new ArrayDeque<>();
    }

    @ProcessElement
    public void process(@Element ImageTextSample sample, MultiOutputReceiver out) {
      if (sample.getImage() != null || sample.getUrl() == null) {
        out.get(keptTag).output(sample);
        return;
      }
      String url = sample.getUrl();
      inFlight.add(new Pending(sample, pool.submit(() -> fetcher.fetch(url)), System.nanoTime()));
      while (inFlight.size() >= 2 * config.concurrency()) {
        Pending done = inFlight.poll();
        emit(done, resolve(done), out.get(keptTag)::output, out.get(rejectTag)::output);
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      while (!inFlight.isEmpty()) {
        Pending done = inFlight.poll();
        emit(
            done,
            resolve(done),
            s ->
                context.output(
                    keptTag, s, BoundedWindow.TIMESTAMP_MIN_VALUE, GlobalWindow.INSTANCE),
            r ->
                context.output(
                    rejectTag, r, BoundedWindow.TIMESTAMP_MIN_VALUE, GlobalWindow.INSTANCE));
      }
    }

    private static FetchResult resolve(Pending pending) {
      try {
        return pending.result().get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return FetchResult.failed(FetchReasons.ERROR, "interrupted");
      } catch (ExecutionException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        return FetchResult.failed(
            "error:" + cause.getClass().getSimpleName(), String.valueOf(cause.getMessage()));
      }
    }

    private void emit(
        Pending pending,
        FetchResult result,
        java.util.function.Consumer<ImageTextSample> kept,
        java.util.function.Consumer<Reject> rejected) {
      latency.update((System.nanoTime() - pending.startNanos()) / 1_000_000);
      fetcher.reportMetrics();
      ImageTextSample sample = pending.sample();
      if (result.ok()) {
        fetched.inc();
        bytes.update(result.body().length);
        kept.accept(
            ImageTextSample.newBuilder(sample).setImage(ByteBuffer.wrap(result.body())).build());
      } else {
        failed.inc();
        Metrics.counter(STAGE, result.reason()).inc();
        rejected.accept(
            Rejects.of(
                sample.getSampleId(), sample.getSource(), STAGE, result.reason(), result.detail()));
      }
    }

    @Teardown
    public void teardown() {
      if (pool != null) {
        pool.shutdownNow();
      }
      if (fetcher != null) {
        fetcher.close();
      }
    }
  }
}
