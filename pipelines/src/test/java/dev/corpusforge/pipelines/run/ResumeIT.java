package dev.corpusforge.pipelines.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corpusforge.core.cache.BlobCache;
import dev.corpusforge.pipelines.testing.Await;
import dev.corpusforge.pipelines.testing.ForgeCall;
import dev.corpusforge.pipelines.testing.OutputReader;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run killed (SIGKILL) while it fetches and resumed with {@code --resume} ends with the rows and
 * rejects of an uninterrupted run over the same URLs, fetching again only what was in flight: the
 * bundled openclipart images served by a server on 127.0.0.1, each a little slow, some failing once
 * (a 503, then the image), some never answering within the deadline, one missing.
 */
class ResumeIT {
  @TempDir Path tmp;

  /** Requests per path while the counting is on; the images that have failed once. */
  private final Map<String, Integer> requests = new ConcurrentHashMap<>();

  private final Set<String> failedOnce = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean slowServer = new AtomicBoolean(true);

  /** Whether the late URLs answer in time now (for the retry). */
  private final AtomicBoolean lateAnswers = new AtomicBoolean(false);

  private static final List<String> FLAKY = List.of("/img/3.png", "/img/11.png", "/img/40.png");

  @Test
  void aKilledRunResumesToTheUninterruptedOutputFetchingOnlyWhatWasInFlight() throws Exception {
    List<Path> pngs;
    try (Stream<Path> walk = Files.walk(Path.of("..", "samples", "image-text"))) {
      pngs = walk.filter(f -> f.toString().endsWith(".png")).sorted().toList();
    }
    assertEquals(84, pngs.size());
    Map<String, byte[]> late = Map.of("/slow/1", drawing(1), "/slow/2", drawing(2));
    MockWebServer server = new MockWebServer();
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
            String path = request.getPath();
            requests.merge(path, 1, Integer::sum);
            if (path.startsWith("/slow/")) {
              if (lateAnswers.get()) {
                return new MockResponse()
                    .setBody(new Buffer().write(late.get(path)))
                    .setHeader("Content-Type", "image/png");
              }
              return new MockResponse().setBody("late").setHeadersDelay(3, TimeUnit.SECONDS);
            }
            if (!path.startsWith("/img/")) {
              return new MockResponse().setResponseCode(404);
            }
            if (FLAKY.contains(path) && failedOnce.add(path)) {
              return new MockResponse().setResponseCode(503);
            }
            int n = Integer.parseInt(path.replaceAll("\\D", ""));
            try {
              MockResponse ok =
                  new MockResponse()
                      .setBody(new Buffer().write(Files.readAllBytes(pngs.get(n))))
                      .setHeader("Content-Type", "image/png")
                      .setHeader("ETag", "\"v" + n + "\"");
              // the run's kill lands mid-fetch; the runs after it need not wait
              return slowServer.get() ? ok.setBodyDelay(60, TimeUnit.MILLISECONDS) : ok;
            } catch (java.io.IOException e) {
              return new MockResponse().setResponseCode(500);
            }
          }
        });
    server.start(InetAddress.getByName("127.0.0.1"), 0);
    try {
      String base = "http://localhost:" + server.getPort();
      StringBuilder csv = new StringBuilder("url,caption\n");
      for (int i = 0; i < pngs.size(); i++) {
        csv.append(base)
            .append("/img/")
            .append(i)
            .append(".png,a clip art drawing numbered ")
            .append(i)
            .append(" in this set\n");
      }
      csv.append(base).append("/slow/1,a drawing served too late\n");
      csv.append(base).append("/slow/2,another drawing served too late\n");
      csv.append(base).append("/gone.png,a drawing that is not there\n");
      Path list = tmp.resolve("urls.csv");
      Files.writeString(list, csv.toString());

      // the uninterrupted run
      Path whole = tmp.resolve("whole");
      assertEquals(0, ForgeCall.run(imageText(list, whole)).exit());
      int wholeRequests = total();

      // the same run killed once about half of the images are fetched
      requests.clear();
      failedOnce.clear();
      Path out = tmp.resolve("out");
      Path log = tmp.resolve("killed.log");
      Process killed = ForgeCall.launch(log, imageText(list, out));
      try {
        Await.until(
            () -> {
              assertTrue(killed.isAlive(), () -> "the run ended before the kill: " + read(log));
              return imageRequests() >= 40;
            },
            Duration.ofSeconds(180),
            Duration.ofMillis(10),
            () -> "the run fetched 40 images");
        killed.destroyForcibly(); // SIGKILL
        assertTrue(killed.waitFor(60, TimeUnit.SECONDS));
      } finally {
        killed.destroyForcibly();
      }
      Map<String, Integer> beforeKill = new TreeMap<>(requests);
      assertTrue(imageRequests() < pngs.size(), "killed mid-fetch: " + beforeKill.size());
      assertFalse(Files.exists(out.resolve("_SUCCESS")));
      Path cache = Path.of(out + ".cache");
      List<Path> entries;
      try (Stream<Path> files = Files.walk(cache.resolve("fetch"))) {
        entries =
            files.filter(f -> Files.isRegularFile(f) && !f.toString().endsWith(".tmp")).toList();
      }
      assertTrue(entries.size() >= 30, "the fetches done before the kill are kept: " + entries);

      // a resumption that would not produce the interrupted run's output is refused, naming why
      ForgeCall.Outcome changed =
          ForgeCall.run(with(imageText(list, out), "--resume", "--min-caption-chars", "7"));
      assertEquals(2, changed.exit(), changed.err());
      assertTrue(changed.err().contains("cannot resume the run in " + out), changed.err());
      assertTrue(changed.err().contains("config text_rules.min_chars was 6, now 7"), changed.err());
      Path extra = tmp.resolve("more.csv");
      Files.writeString(extra, "url,caption\n" + base + "/img/1.png,one more drawing of the set\n");
      ForgeCall.Outcome added =
          ForgeCall.run(with(imageText(list, out), "--resume", "--input", extra.toString()));
      assertEquals(2, added.exit(), added.err());
      assertTrue(
          added.err().contains("input file " + extra.toAbsolutePath() + " was added"), added.err());
      ForgeCall.Outcome finished = ForgeCall.run(with(imageText(list, whole), "--resume"));
      assertTrue(
          finished.err().contains("holds a finished run (_SUCCESS): nothing to resume"),
          finished.err());

      // one entry truncated on disk: not trusted, fetched again
      String truncatedPath = null;
      Path truncated = null;
      for (int i = 0; i < pngs.size() && truncated == null; i++) {
        String hash = BlobCache.sha256(base + "/img/" + i + ".png");
        Path entry = cache.resolve("fetch").resolve(hash.substring(0, 2)).resolve(hash);
        if (Files.exists(entry)) {
          truncated = entry;
          truncatedPath = "/img/" + i + ".png";
        }
      }
      assertTrue(truncated != null, "an image fetched before the kill");
      Files.write(truncated, java.util.Arrays.copyOf(Files.readAllBytes(truncated), 100));

      slowServer.set(false);
      requests.clear();
      assertEquals(0, ForgeCall.run(with(imageText(list, out), "--resume")).exit());
      Map<String, Integer> afterKill = new TreeMap<>(requests);

      // the same rows and rejects as the uninterrupted run
      assertTrue(Files.exists(out.resolve("_SUCCESS")));
      assertEquals(rows(whole.resolve("data")), rows(out.resolve("data")));
      assertEquals(rows(whole.resolve("rejects")), rows(out.resolve("rejects")));
      assertFalse(rows(out.resolve("data")).isEmpty());
      List<String> reasons = new ArrayList<>();
      OutputReader.parquetRows(out.resolve("rejects"))
          .forEach(r -> reasons.add(r.get("reason") + ""));
      assertTrue(
          reasons.contains("fetch_timeout") && reasons.contains("fetch_http_404"),
          reasons.toString());

      // fetched again: what was in flight at the kill (two requests at a time) and the truncated
      // entry; every other outcome came from the cache, timeouts included
      List<String> again = new ArrayList<>();
      for (String path : afterKill.keySet()) {
        if (beforeKill.containsKey(path)) {
          again.add(path);
        }
      }
      assertTrue(again.contains(truncatedPath), again.toString());
      assertTrue(again.size() <= 3, "fetched again: " + again);
      System.out.printf(
          "requests: uninterrupted %d; killed %d, resumed %d; fetched again %s%n",
          wholeRequests, total(beforeKill), total(afterKill), again);
      assertEquals(
          pngs.size() + 3,
          Stream.concat(beforeKill.keySet().stream(), afterKill.keySet().stream())
              .distinct()
              .count(),
          "every URL fetched by one of the two runs");
      JsonNode manifest = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
      JsonNode counters = manifest.path("metrics").path("counters");
      assertEquals(1, counters.path("cache/fetch_corrupt").asLong(), counters.toString());
      assertEquals(
          entries.size() - 1, counters.path("cache/fetch_hits").asLong(), counters.toString());
      assertEquals(
          afterKill.values().stream().mapToInt(Integer::intValue).sum(),
          counters.path("fetch/requests").asLong());
      assertTrue(
          total(beforeKill) + total(afterKill) <= wholeRequests + 6,
          "the two runs asked for little more than the uninterrupted one: "
              + (total(beforeKill) + total(afterKill))
              + " against "
              + wholeRequests);
      assertEquals(cache.toString(), manifest.path("metrics").path("cache").path("root").asText());

      // the two inputs that timed out, retried once the server answers them in time, then merged
      lateAnswers.set(true);
      requests.clear();
      Path retried = tmp.resolve("retried");
      assertEquals(
          0,
          ForgeCall.run(
                  "retry",
                  out.toString(),
                  "--reasons",
                  "fetch_timeout",
                  "--output",
                  retried.toString())
              .exit());
      JsonNode retriedManifest =
          new ObjectMapper().readTree(retried.resolve("manifest.json").toFile());
      assertEquals(
          Map.of("/slow/1", 1, "/slow/2", 1),
          requests,
          () -> "only the timed-out URLs, once each: " + retriedManifest.path("metrics"));
      assertEquals(2, retriedManifest.path("counts").path("inputs").asLong());
      assertEquals(
          2,
          retriedManifest.path("counts").path("kept").asLong(),
          () -> retriedManifest.path("counts").toString());
      requests.clear();
      Path merged = tmp.resolve("merged");
      assertEquals(
          0,
          ForgeCall.run("merge", out.toString(), retried.toString(), "--output", merged.toString())
              .exit());
      assertEquals(Map.of(), requests, "a merge fetches nothing");
      JsonNode mergedManifest =
          new ObjectMapper().readTree(merged.resolve("manifest.json").toFile());
      assertEquals(pngs.size() + 3, mergedManifest.path("counts").path("inputs").asLong());
      assertTrue(mergedManifest.path("accounting").path("balanced").asBoolean());
      List<String> mergedRejects = rows(merged.resolve("rejects"));
      List<String> expectedRejects = new ArrayList<>(rows(out.resolve("rejects")));
      expectedRejects.removeIf(r -> r.contains("fetch_timeout"));
      assertEquals(expectedRejects, mergedRejects);
      List<String> mergedRows = rows(merged.resolve("data"));
      List<String> newRows = new ArrayList<>(mergedRows);
      newRows.removeAll(rows(out.resolve("data")));
      assertEquals(mergedRows.size() - 2, rows(out.resolve("data")).size());
      assertEquals(2, newRows.size());
      assertTrue(newRows.stream().allMatch(r -> r.contains("/slow/")), newRows.toString());
      ForgeCall.Outcome notRetry =
          ForgeCall.run(
              "merge", out.toString(), whole.toString(), "--output", tmp.resolve("m2").toString());
      assertEquals(2, notRetry.exit(), notRetry.err());
      assertTrue(notRetry.err().contains(whole + " is no retry of " + out), notRetry.err());
    } finally {
      server.shutdown();
    }
  }

  /**
   * A run killed while it scores, and one killed while it writes its output, each resumed to the
   * rows, rejects and embeddings of an uninterrupted run, with the whole-input decisions after
   * scoring (the top half by FILIP score, semantic duplicates) made again over every pair; the
   * pairs scored before the kill are not scored again.
   */
  @Test
  void aRunKilledWhileItScoresOrWritesResumesToTheUninterruptedOutput() throws Exception {
    // two of the sample folders: 34 pairs, enough for several score batches before the kill
    Path samples = Path.of("..", "samples", "image-text").toAbsolutePath().normalize();
    String model =
        Path.of("..", "samples", "models", "clipart-dual-encoder")
            .toAbsolutePath()
            .normalize()
            .toString();
    java.util.function.Function<Path, String[]> scored =
        out ->
            new String[] {
              "run",
              "image-text",
              "--input",
              samples.resolve("computer").toString(),
              "--input",
              samples.resolve("signs_and_symbols").toString(),
              "--output",
              out.toString(),
              "--parallelism",
              "1",
              "--progress-seconds",
              "0",
              "--score-model",
              model,
              "--score",
              "filip",
              "--keep-top-fraction",
              "0.5",
              "--embeddings",
              "--semdedup-eps",
              "0.1",
              "--semdedup-clusters",
              "2",
              "--score-batch-size",
              "2",
              "--model-threads",
              "1",
              "--languages",
              "any",
              "--min-caption-words",
              "1",
              "--language-low-accuracy"
            };
    Path whole = tmp.resolve("whole");
    assertEquals(0, ForgeCall.run(scored.apply(whole)).exit());
    JsonNode wholeCounters =
        new ObjectMapper()
            .readTree(whole.resolve("manifest.json").toFile())
            .path("metrics")
            .path("counters");
    long pairs = wholeCounters.path("cache/scores_stored").asLong();
    assertTrue(pairs > 10, wholeCounters.toString());

    // killed once the first scores are kept
    Path mid = tmp.resolve("mid-scoring");
    Path scores = Path.of(mid + ".cache", "scores");
    killWhen(tmp.resolve("mid-scoring.log"), scored.apply(mid), () -> entries(scores) > 0);
    long keptAtKill = entries(scores);
    assertEquals(0, ForgeCall.run(with(scored.apply(mid), "--resume")).exit());
    JsonNode resumed =
        new ObjectMapper()
            .readTree(mid.resolve("manifest.json").toFile())
            .path("metrics")
            .path("counters");
    System.out.printf("scores kept at the kill: %d of %d%n", keptAtKill, pairs);
    assertEquals(keptAtKill, resumed.path("cache/scores_hits").asLong(), resumed.toString());
    assertEquals(pairs - keptAtKill, resumed.path("cache/scores_misses").asLong());
    assertSameOutput(whole, mid);

    // killed once its first data file is in place (or, had it finished first, as a kill just
    // before its _SUCCESS would leave it)
    Path writing = tmp.resolve("writing");
    Process run =
        killWhen(
            tmp.resolve("writing.log"),
            scored.apply(writing),
            () -> entries(writing.resolve("data")) > 0);
    System.out.printf(
        "write kill: %s%n",
        run.exitValue() == 0 ? "the run finished first" : "killed with data files in place");
    if (run.exitValue() == 0) {
      Files.delete(writing.resolve("_SUCCESS"));
    }
    assertFalse(Files.exists(writing.resolve("_SUCCESS")));
    assertEquals(0, ForgeCall.run(with(scored.apply(writing), "--resume")).exit());
    assertSameOutput(whole, writing);
  }

  /**
   * Launches {@code forge args} and SIGKILLs it as soon as {@code ready} holds (or lets it end if
   * it ends first); the process, ended.
   */
  private static Process killWhen(
      Path log, String[] args, java.util.concurrent.Callable<Boolean> ready) throws Exception {
    Process p = ForgeCall.launch(log, args);
    try {
      Await.until(
          () -> !p.isAlive() || ready.call(),
          Duration.ofSeconds(180),
          Duration.ofMillis(5),
          () -> "the point of the kill: " + read(log));
      p.destroyForcibly(); // SIGKILL
      assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    } finally {
      p.destroyForcibly();
    }
    assertTrue(p.exitValue() == 0 || p.exitValue() == 137, () -> read(log));
    return p;
  }

  /** Whole files under {@code dir} (none when it is not there). */
  private static long entries(Path dir) throws java.io.IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(
              f ->
                  Files.isRegularFile(f)
                      && !f.toString().endsWith(".tmp")
                      && !f.getFileName().toString().startsWith("."))
          .count();
    }
  }

  private static void assertSameOutput(Path want, Path got) throws Exception {
    assertTrue(Files.exists(got.resolve("_SUCCESS")));
    for (String table : List.of("data", "rejects")) {
      assertEquals(rows(want.resolve(table)), rows(got.resolve(table)), table);
    }
    assertFalse(rows(got.resolve("data")).isEmpty());
    // the exports, the embeddings' .npy parts among them, byte for byte
    Map<String, String> exports = exportDigests(want);
    assertTrue(exports.keySet().stream().anyMatch(f -> f.endsWith(".npy")), exports.toString());
    assertEquals(exports, exportDigests(got));
    JsonNode manifest = new ObjectMapper().readTree(got.resolve("manifest.json").toFile());
    assertTrue(manifest.path("accounting").path("balanced").asBoolean());
  }

  /** The SHA-256 of each file under {@code out/exports}. */
  private static Map<String, String> exportDigests(Path out) throws Exception {
    Map<String, String> digests = new TreeMap<>();
    Path exports = out.resolve("exports");
    try (Stream<Path> files = Files.walk(exports)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        digests.put(exports.relativize(f).toString(), BlobCache.sha256(Files.readAllBytes(f)));
      }
    }
    return digests;
  }

  /** A PNG of its own for each seed: no duplicate of the clip art. */
  private static byte[] drawing(int seed) {
    java.awt.image.BufferedImage image =
        new java.awt.image.BufferedImage(320, 280, java.awt.image.BufferedImage.TYPE_INT_RGB);
    java.util.Random random = new java.util.Random(seed);
    java.awt.Graphics2D g = image.createGraphics();
    for (int i = 0; i < 30; i++) {
      g.setColor(new java.awt.Color(random.nextInt(0xffffff)));
      g.fillOval(
          random.nextInt(240),
          random.nextInt(180),
          10 + random.nextInt(80),
          10 + random.nextInt(60));
    }
    g.dispose();
    java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
    try {
      javax.imageio.ImageIO.write(image, "png", png);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return png.toByteArray();
  }

  private static String[] imageText(Path list, Path out) {
    return new String[] {
      "run",
      "image-text",
      "--input",
      list.toString(),
      "--output",
      out.toString(),
      "--allow-host",
      "localhost",
      "--languages",
      "any",
      "--min-caption-words",
      "1",
      "--no-filename-rule",
      "--progress-seconds",
      "0",
      "--parallelism",
      "1",
      "--fetch-concurrency",
      "2",
      "--fetch-retries",
      "1",
      "--fetch-backoff-ms",
      "10",
      "--fetch-deadline-ms",
      "1000",
      "--language-low-accuracy"
    };
  }

  private static String[] with(String[] args, String... more) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  private int imageRequests() {
    return requests.entrySet().stream()
        .filter(e -> e.getKey().startsWith("/img/"))
        .mapToInt(Map.Entry::getValue)
        .sum();
  }

  private int total() {
    return total(requests);
  }

  private static int total(Map<String, Integer> counts) {
    return counts.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** Every row of a table as text, in order: bytes by their SHA-256. */
  private static List<String> rows(Path dir) throws Exception {
    List<String> out = new ArrayList<>();
    for (Map<String, Object> row : OutputReader.parquetRows(dir)) {
      out.add(text(row));
    }
    out.sort(null);
    return out;
  }

  private static String text(Object value) {
    if (value instanceof byte[] b) {
      return BlobCache.sha256(b);
    }
    if (value instanceof Map<?, ?> m) {
      StringBuilder sb = new StringBuilder("{");
      new TreeMap<>(m).forEach((k, v) -> sb.append(k).append('=').append(text(v)).append(", "));
      return sb.append('}').toString();
    }
    if (value instanceof List<?> l) {
      return l.stream().map(ResumeIT::text).toList().toString();
    }
    return String.valueOf(value);
  }

  private static String read(Path log) {
    try {
      return Files.readString(log);
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }
}
