package dev.corpusforge.scorers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corpusforge.filters.image.ImageCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The project's clip-art dual encoder (samples/models) through DJL + ONNX Runtime, on real
 * openclipart pairs.
 */
class ClipartBundleTest {
  static final Path BUNDLE = Path.of("..", "samples", "models", "clipart-dual-encoder");
  static final Path IMAGES = Path.of("..", "samples", "image-text");
  static LoadedBundle loaded;
  static PairScorer scorer;
  static List<PairScorer.Pair> pairs;

  @BeforeAll
  static void open() throws Exception {
    loaded = LoadedBundle.open(ModelBundle.load(BUNDLE), Device.cpu(), 1);
    scorer = PairScorer.open(loaded);
    pairs = new ArrayList<>();
    try (Stream<Path> files = Files.walk(IMAGES)) {
      for (Path png :
          files.filter(p -> p.toString().endsWith(".png")).sorted().limit(40).toList()) {
        Path txt = png.resolveSibling(png.getFileName().toString().replace(".png", ".txt"));
        if (Files.exists(txt)) {
          pairs.add(
              new PairScorer.Pair(
                  scorer.preprocess(ImageCodec.decodeRgb(Files.readAllBytes(png))),
                  Files.readString(txt).strip()));
        }
      }
    }
    assertTrue(pairs.size() >= 20, "sample pairs: " + pairs.size());
  }

  @AfterAll
  static void close() {
    scorer.close();
    loaded.close();
  }

  /**
   * A JVM that outlives a run (the warm daemon) keeps a bundle loaded, and loads it again when its
   * files changed in place.
   */
  @Test
  void aBundleChangedInPlaceIsLoadedAgain(@org.junit.jupiter.api.io.TempDir Path tmp)
      throws Exception {
    Path copy = tmp.resolve("bundle");
    Files.createDirectories(copy);
    try (Stream<Path> files = Files.list(BUNDLE)) {
      for (Path f : files.toList()) {
        Files.copy(f, copy.resolve(f.getFileName()));
      }
    }
    LoadedBundle first = SharedBundles.get(copy.toString(), DeviceChoice.CPU, 1);
    assertTrue(first == SharedBundles.get(copy.toString(), DeviceChoice.CPU, 1), "kept");
    Path json = copy.resolve("bundle.json");
    Files.setLastModifiedTime(
        json,
        java.nio.file.attribute.FileTime.fromMillis(
            Files.getLastModifiedTime(json).toMillis() + 10_000));
    LoadedBundle again = SharedBundles.get(copy.toString(), DeviceChoice.CPU, 1);
    assertTrue(first != again, "loaded again");
    assertTrue(again == SharedBundles.get(copy.toString(), DeviceChoice.CPU, 1), "kept again");
  }

  @Test
  void theTokenizerGivesTheIdsTheModelWasTrainedOn() throws Exception {
    JsonNode examples =
        new ObjectMapper()
            .readTree(BUNDLE.resolve("training.json").toFile())
            .get("tokenizer_examples");
    try (HuggingFaceTokenizer tokenizer =
        HuggingFaceTokenizer.builder()
            .optTokenizerPath(BUNDLE.resolve("tokenizer.json"))
            .optMaxLength(32)
            .optTruncation(true)
            .build()) {
      for (JsonNode example : examples) {
        long[] expected = new long[example.get("ids").size()];
        for (int i = 0; i < expected.length; i++) {
          expected[i] = example.get("ids").get(i).asLong();
        }
        assertArrayEquals(
            expected,
            tokenizer.encode(example.get("text").asText()).getIds(),
            example.get("text").asText());
      }
    }
  }

  @Test
  void scoresAreCosinesAndTheFilipScoreIsTheMeanOfItsDirections() throws Exception {
    for (PairScores s : scorer.score(pairs, 1.0)) {
      assertTrue(s.clip() >= -1 && s.clip() <= 1, s.toString());
      assertTrue(s.filip() >= -1 && s.filip() <= 1, s.toString());
      assertEquals((s.filipImageToText() + s.filipTextToImage()) / 2, s.filip(), 1.01e-6);
    }
  }

  @Test
  void aPairsScoresDoNotDependOnItsBatch() throws Exception {
    List<PairScores> together = scorer.score(pairs, 1.0);
    List<PairScores> inFours = new ArrayList<>();
    for (int i = 0; i < pairs.size(); i += 4) {
      inFours.addAll(scorer.score(pairs.subList(i, Math.min(pairs.size(), i + 4)), 1.0));
    }
    for (int i = 0; i < pairs.size(); i++) {
      assertEquals(together.get(i).clip(), inFours.get(i).clip(), 1e-6, "clip " + i);
      assertEquals(together.get(i).filip(), inFours.get(i).filip(), 1e-6, "filip " + i);
      PairScores alone = scorer.score(List.of(pairs.get(i)), 1.0).get(0);
      assertEquals(together.get(i).filip(), alone.filip(), 1e-6, "filip alone " + i);
    }
  }

  /**
   * A pair's embeddings are the same floats whatever its batch, alone included: a pass never runs
   * one row, whose kernels round differently.
   */
  @Test
  void aPairsEmbeddingsAreTheSameBitsAloneAndInABatch() throws Exception {
    List<PairScores> together = scorer.score(pairs, 1.0, true);
    for (int i = 0; i < pairs.size(); i++) {
      PairScores alone = scorer.score(List.of(pairs.get(i)), 1.0, true).get(0);
      org.junit.jupiter.api.Assertions.assertArrayEquals(
          together.get(i).imageEmbedding(), alone.imageEmbedding(), "image " + i);
      org.junit.jupiter.api.Assertions.assertArrayEquals(
          together.get(i).textEmbedding(), alone.textEmbedding(), "text " + i);
      assertEquals(together.get(i).clip(), alone.clip(), "clip " + i);
    }
  }

  @Test
  void matchedCaptionsOutscoreShuffledOnesOnAverage() throws Exception {
    List<PairScorer.Pair> shuffled = new ArrayList<>();
    for (int i = 0; i < pairs.size(); i++) {
      shuffled.add(
          new PairScorer.Pair(
              pairs.get(i).pixels(), pairs.get((i + pairs.size() / 2) % pairs.size()).caption()));
    }
    List<PairScores> matched = scorer.score(pairs, 1.0);
    List<PairScores> other = scorer.score(shuffled, 1.0);
    double m = matched.stream().mapToDouble(PairScores::filip).average().orElseThrow();
    double o = other.stream().mapToDouble(PairScores::filip).average().orElseThrow();
    assertTrue(m > o, "matched " + m + " vs shuffled " + o);
  }

  @Test
  void theSimilarityMapCoversThePatchGrid() throws Exception {
    SimilarityMap map = scorer.similarityMap(pairs.get(0).pixels(), pairs.get(0).caption());
    // 64×64 input, 8×8-pixel patches
    assertEquals(8, map.rows());
    assertEquals(8, map.cols());
    for (float v : map.values()) {
      assertTrue(v >= -1.0001 && v <= 1.0001, "similarity " + v);
    }
    // the map's mean over patches is FILIP's s_I for the pair
    double mean = 0;
    for (float v : map.values()) {
      mean += v / 64.0;
    }
    assertEquals(scorer.score(List.of(pairs.get(0)), 1.0).get(0).filipImageToText(), mean, 2e-6);
  }
}
