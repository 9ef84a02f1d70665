package dev.corpusforge.scorers.beam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corpusforge.core.StepResult;
import dev.corpusforge.core.testing.TestPipelineExtension;
import dev.corpusforge.schemas.ImageTextSample;
import dev.corpusforge.schemas.Reject;
import dev.corpusforge.scorers.DeviceChoice;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The batched scoring transform on real openclipart pairs with the project's clip-art dual encoder.
 */
@ExtendWith(TestPipelineExtension.class)
public class ScorePairsTest {
  static final String BUNDLE =
      Path.of("..", "samples", "models", "clipart-dual-encoder").toString();
  static List<ImageTextSample> samples;

  TestPipeline p;

  @BeforeAll
  public static void readSamples() throws Exception {
    samples = new ArrayList<>();
    try (Stream<Path> files = Files.walk(Path.of("..", "samples", "image-text"))) {
      for (Path png :
          files.filter(f -> f.toString().endsWith(".png")).sorted().limit(12).toList()) {
        Path txt = png.resolveSibling(png.getFileName().toString().replace(".png", ".txt"));
        if (Files.exists(txt)) {
          samples.add(
              sample(
                  String.format("s%02d", samples.size()),
                  Files.readString(txt).strip(),
                  Files.readAllBytes(png)));
        }
      }
    }
  }

  static ImageTextSample sample(String id, String caption, byte[] image) {
    return ImageTextSample.newBuilder()
        .setSampleId(id)
        .setSource("src/" + id)
        .setCaption(caption)
        .setImage(ByteBuffer.wrap(image))
        .setImageFormat("png")
        .build();
  }

  static ScoringConfig config(int batchSize) {
    return new ScoringConfig(BUNDLE, DeviceChoice.CPU, batchSize, 1000, 1, 2, 1.0);
  }

  static PCollection<String> scores(PCollection<ImageTextSample> scored, String name) {
    return scored.apply(
        name,
        MapElements.into(TypeDescriptors.strings())
            .via(
                (ImageTextSample s) ->
                    s.getSampleId() + " " + s.getClipScore() + " " + s.getFilipScore()));
  }

  @Test
  public void aPoisonedPairIsRejectedAloneAndTheRestOfItsBatchIsScored() {
    List<ImageTextSample> input = new ArrayList<>(samples.subList(0, 6));
    // an empty caption has no tokens: the batch's scoring fails and is retried pair by pair
    input.add(sample("poison-caption", "", bytes(samples.get(0))));
    // bytes that are no image fail before the batch runs
    input.add(sample("poison-image", "a red apple on a table", "not an image at all".getBytes()));
    StepResult<ImageTextSample> out =
        p.apply(Create.of(input).withCoder(AvroCoder.of(ImageTextSample.class)))
            .apply(
                ScorePairs.of(
                    new ScoringConfig(BUNDLE, DeviceChoice.CPU, 32, 60_000, 1, 1, 1.0),
                    ImageTextPairs.INSTANCE));
    PAssert.that(
            out.kept()
                .apply(
                    "kept ids",
                    MapElements.into(TypeDescriptors.strings()).via(ImageTextSample::getSampleId)))
        .containsInAnyOrder(
            input.subList(0, 6).stream().map(ImageTextSample::getSampleId).toList());
    PAssert.that(out.kept())
        .satisfies(
            kept -> {
              kept.forEach(
                  s ->
                      assertTrue(
                          s.getClipScore() != null
                              && s.getFilipScore() != null
                              && Math.abs(s.getFilipScore()) <= 1,
                          s.getSampleId()));
              return null;
            });
    PAssert.that(
            out.rejects()
                .apply(
                    "reject reasons",
                    MapElements.into(TypeDescriptors.strings())
                        .via(
                            (Reject r) ->
                                r.getSampleId() + ":" + r.getStage() + ":" + r.getReason())))
        .containsInAnyOrder("poison-caption:score:score_error", "poison-image:score:score_error");
    PAssert.that(out.rejects())
        .satisfies(
            rejects -> {
              rejects.forEach(
                  r ->
                      assertTrue(
                          r.getSampleId().equals("poison-caption")
                              ? r.getDetail().contains("no tokens")
                              : r.getDetail().contains("cannot be prepared"),
                          r.getDetail()));
              return null;
            });
    p.run().waitUntilFinish();
  }

  static final java.util.Queue<String> COLLECTED =
      new java.util.concurrent.ConcurrentLinkedQueue<>();

  /** Scores the samples in a pipeline of its own with the cache at {@code cache}. */
  static org.apache.beam.sdk.metrics.MetricQueryResults scoreWithCache(Path cache) {
    org.apache.beam.sdk.options.PipelineOptions options =
        org.apache.beam.sdk.options.PipelineOptionsFactory.create();
    options.as(dev.corpusforge.core.cache.CacheOptions.class).setForgeCache(cache.toString());
    org.apache.beam.sdk.Pipeline pipeline = org.apache.beam.sdk.Pipeline.create(options);
    scores(
            pipeline
                .apply(Create.of(samples).withCoder(AvroCoder.of(ImageTextSample.class)))
                .apply(ScorePairs.of(config(4), ImageTextPairs.INSTANCE))
                .kept(),
            "scores")
        .apply(
            "collect",
            MapElements.into(TypeDescriptors.strings())
                .via(
                    (String line) -> {
                      COLLECTED.add(line);
                      return line;
                    }));
    org.apache.beam.sdk.PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    return result
        .metrics()
        .queryMetrics(
            org.apache.beam.sdk.metrics.MetricsFilter.builder()
                .addNameFilter(
                    org.apache.beam.sdk.metrics.MetricNameFilter.inNamespace(
                        dev.corpusforge.core.cache.BlobCache.METRICS))
                .build());
  }

  static long counter(org.apache.beam.sdk.metrics.MetricQueryResults m, String name) {
    long n = 0;
    for (var c : m.getCounters()) {
      if (c.getName().getName().equals(name)) {
        n += c.getAttempted();
      }
    }
    return n;
  }

  @Test
  public void aSecondRunTakesEveryScoreFromTheCacheAndTheSameScores(
      @org.junit.jupiter.api.io.TempDir Path cache) throws Exception {
    COLLECTED.clear();
    var first = scoreWithCache(cache);
    List<String> computed = new ArrayList<>(COLLECTED);
    computed.sort(null);
    COLLECTED.clear();
    var second = scoreWithCache(cache);
    List<String> cached = new ArrayList<>(COLLECTED);
    cached.sort(null);
    assertEquals(samples.size(), computed.size());
    assertEquals(computed, cached);
    // the first run scores and stores every pair it does not find (a duplicate pair in a later
    // batch finds the first's entry)
    assertEquals(samples.size(), counter(first, "scores_misses") + counter(first, "scores_hits"));
    assertEquals(counter(first, "scores_misses"), counter(first, "scores_stored"));
    assertTrue(counter(first, "scores_stored") > 0);
    assertEquals(samples.size(), counter(second, "scores_hits"));
    assertEquals(
        0,
        counter(second, "scores_misses") + counter(second, "scores_stored"),
        "no pair scored again");
    // one entry per distinct image and caption (the samples hold an exact duplicate)
    long distinct =
        samples.stream()
            .map(x -> dev.corpusforge.core.cache.BlobCache.sha256(bytes(x)) + x.getCaption())
            .distinct()
            .count();
    try (Stream<Path> entries = Files.walk(cache.resolve("scores"))) {
      assertEquals(distinct, entries.filter(Files::isRegularFile).count());
    }
  }

  @Test
  public void scoresAreTheSameWhateverTheBatchSize() {
    PCollection<ImageTextSample> in =
        p.apply(Create.of(samples).withCoder(AvroCoder.of(ImageTextSample.class)));
    PCollection<String> one =
        scores(
            in.apply("size 1", ScorePairs.of(config(1), ImageTextPairs.INSTANCE)).kept(),
            "scores 1");
    PCollection<String> three =
        scores(
            in.apply("size 3", ScorePairs.of(config(3), ImageTextPairs.INSTANCE)).kept(),
            "scores 3");
    PCollection<String> all =
        scores(
            in.apply("size 64", ScorePairs.of(config(64), ImageTextPairs.INSTANCE)).kept(),
            "scores 64");
    PAssert.that(one)
        .satisfies(
            a -> {
              assertEquals(samples.size(), count(a));
              return null;
            });
    // written out as text, the three runs must agree to the last written digit
    PCollection<String> together =
        org.apache.beam.sdk.values.PCollectionList.of(List.of(one, three, all))
            .apply(org.apache.beam.sdk.transforms.Flatten.pCollections());
    PAssert.that(together)
        .satisfies(
            lines -> {
              java.util.Map<String, java.util.Set<String>> byId = new java.util.TreeMap<>();
              lines.forEach(
                  l ->
                      byId.computeIfAbsent(
                              l.substring(0, l.indexOf(' ')), k -> new java.util.TreeSet<>())
                          .add(l));
              assertEquals(samples.size(), byId.size());
              byId.forEach((id, variants) -> assertEquals(1, variants.size(), id + " " + variants));
              return null;
            });
    p.run().waitUntilFinish();
  }

  @Test
  public void topFractionThresholdIsExactOverTheWholeInput() {
    // clustered scores (many in one bin), ties, and values at both ends
    List<Double> scores = new ArrayList<>();
    java.util.Random r = new java.util.Random(7);
    for (int i = 0; i < 3000; i++) {
      scores.add(0.25 + r.nextInt(40) * 1e-7);
    }
    for (int i = 0; i < 2000; i++) {
      scores.add(r.nextDouble() * 2 - 1);
    }
    scores.addAll(List.of(1.0, -1.0, 0.25, 0.25));
    double[] all = scores.stream().mapToDouble(Double::doubleValue).toArray();
    for (double fraction : new double[] {0.3, 0.5, 0.0001, 1.0}) {
      PCollection<Double> in = p.apply("scores " + fraction, Create.of(scores));
      var view = in.apply("threshold " + fraction, TopFractionThreshold.of(fraction));
      double expected = dev.corpusforge.scorers.LateInteraction.topFractionThreshold(all, fraction);
      PCollection<Double> got =
          p.apply("one " + fraction, Create.of(0))
              .apply(
                  "read " + fraction,
                  org.apache.beam.sdk.transforms.ParDo.of(new ReadThreshold(view))
                      .withSideInputs(view));
      PAssert.thatSingleton(got).isEqualTo(expected);
    }
    p.run().waitUntilFinish();
    double[] sorted = all.clone();
    Arrays.sort(sorted);
    assertEquals(
        sorted[sorted.length - 1500],
        dev.corpusforge.scorers.LateInteraction.topFractionThreshold(all, 1500.0 / all.length),
        0);
  }

  static final class ReadThreshold extends org.apache.beam.sdk.transforms.DoFn<Integer, Double> {
    private final org.apache.beam.sdk.values.PCollectionView<TopFractionThreshold.Threshold> view;

    ReadThreshold(org.apache.beam.sdk.values.PCollectionView<TopFractionThreshold.Threshold> view) {
      this.view = view;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      c.output(c.sideInput(view).value());
    }
  }

  private static int count(Iterable<?> it) {
    int n = 0;
    for (Object o : it) {
      n++;
    }
    return n;
  }

  private static byte[] bytes(ImageTextSample s) {
    ByteBuffer b = s.getImage().duplicate();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }
}
