package dev.corpusforge.pipelines.imagetext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corpusforge.pipelines.cli.Forge;
import dev.corpusforge.pipelines.run.RunDriver;
import dev.corpusforge.pipelines.testing.CorruptParquet;
import dev.corpusforge.pipelines.testing.OutputReader;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * image-text on a CSV URL list served by an HTTP server on 127.0.0.1 (reached as "localhost",
 * allowed by --allow-host): real images, and every way a fetch goes wrong.
 */
class UrlFetchIT {
  @TempDir Path tmp;

  @Test
  void fetchesListedImagesAndRejectsEveryFailureWithItsReason() throws Exception {
    Path sample = Path.of("..", "samples", "image-text");
    Map<String, byte[]> images = new HashMap<>();
    List<Path> pngs;
    try (var walk = Files.walk(sample)) {
      pngs = walk.filter(f -> f.toString().endsWith(".png")).sorted().toList();
    }
    // images with English captions that pass every other rule
    Map<String, String> captions =
        Map.of(
            "/img/1.png", "a colourful drawing of a bird on a white background",
            "/img/2.png", "a simple drawing of a house with a red roof",
            "/img/3.png", "an illustration of a green tree in the summer");
    int i = 0;
    for (String path : List.of("/img/1.png", "/img/2.png", "/img/3.png")) {
      images.put(path, Files.readAllBytes(pngs.get(20 + 7 * i++)));
    }
    Set<String> requested = ConcurrentHashMap.newKeySet();
    MockWebServer server = new MockWebServer();
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            String path = request.getPath();
            requested.add(path);
            if (images.containsKey(path)) {
              return new MockResponse()
                  .setBody(new Buffer().write(images.get(path)))
                  .setHeader("Content-Type", "image/png");
            }
            return switch (path) {
              case "/error" -> new MockResponse().setResponseCode(500);
              case "/slow" ->
                  new MockResponse()
                      .setBody(new Buffer().write(new byte[5000]))
                      .throttleBody(200, 500, TimeUnit.MILLISECONDS);
              case "/to-blocked" ->
                  new MockResponse().setResponseCode(302).setHeader("Location", "/img/blocked.png");
              case "/metadata" ->
                  new MockResponse()
                      .setResponseCode(302)
                      .setHeader("Location", "http://169.254.169.254/latest/meta-data/");
              case "/noai" ->
                  new MockResponse()
                      .setBody(new Buffer().write(images.get("/img/1.png")))
                      .setHeader("X-Robots-Tag", "noai");
              case "/endless" ->
                  new MockResponse().setChunkedBody(new Buffer().write(new byte[300_000]), 4096);
              default -> new MockResponse().setResponseCode(404);
            };
          }
        });
    server.start(InetAddress.getByName("127.0.0.1"), 0);
    try {
      String base = "http://localhost:" + server.getPort();
      // DataComp-style columns: a uid, a precomputed score (kept at 0.3 or more) and a note
      StringBuilder csv = new StringBuilder("url,caption,uid,score,note\n");
      int[] row = {0};
      java.util.function.BiConsumer<String, String> add =
          (url, caption) -> {
            row[0]++;
            csv.append(url)
                .append(',')
                .append(caption)
                .append(
                    String.format(
                        ",%016x%016x,0.%d,note %d\n",
                        // high halves falling as rows rise, the first at or over 2^63 and the
                        // next under it: sorted as unsigned numbers, not as Java's signed longs
                        0xC000000000000000L >>> (row[0] - 1),
                        0xabc000L + row[0],
                        5 + row[0] % 4,
                        row[0]));
          };
      new java.util.TreeMap<>(captions)
          .forEach((path, caption) -> add.accept(base + path, caption));
      for (String bad : List.of("/missing", "/error", "/slow", "/metadata", "/noai", "/endless")) {
        add.accept(base + bad, "a photo of something that cannot be fetched " + bad.substring(1));
      }
      // on the URL blocklist (listed with another case of its host and a fragment): never fetched
      add.accept(base + "/img/blocked.png", "a drawing whose address is on the blocklist");
      add.accept(base + "/to-blocked", "a drawing behind a redirect to a blocklisted address");
      add.accept(
          "http://127.0.0.1:" + server.getPort() + "/img/1.png",
          "a drawing fetched from a loopback address");
      // under the score floor, without a number, without a uid: none of them fetched
      csv.append(base)
          .append("/img/low.png,a drawing scored low,")
          .append("1".repeat(32))
          .append(",0.1,\n");
      csv.append(base)
          .append("/img/nan.png,a drawing without a score,")
          .append("2".repeat(32))
          .append(",n/a,\n");
      csv.append(base).append("/img/nouid.png,a drawing without a uid,not-a-uid,0.9,\n");
      csv.append("\"unterminated,row\n");
      Path list = tmp.resolve("urls.csv");
      Files.writeString(list, csv.toString());
      org.apache.avro.Schema urlSchema =
          org.apache.avro.SchemaBuilder.record("Url")
              .fields()
              .requiredString("url")
              .requiredString("caption")
              .endRecord();
      List<Path> corrupt =
          CorruptParquet.write(
              tmp.resolve("tables"),
              urlSchema,
              List.of(
                  new org.apache.avro.generic.GenericRecordBuilder(urlSchema)
                      .set("url", base + "/img/2.png")
                      .set("caption", "a listed image in a broken table")
                      .build()));
      // the MD5 of one served image and the SHA-256 of a file never served, between comments
      String md5 = hex("MD5", images.get("/img/3.png"));
      Path hashes = tmp.resolve("hashes.txt");
      Files.writeString(
          hashes,
          "# known-bad files\n"
              + md5.toUpperCase(java.util.Locale.ROOT)
              + "\n\n"
              + hex("SHA-256", new byte[] {1, 2, 3})
              + "\n");
      Path urls = tmp.resolve("blocked-urls.txt");
      Files.writeString(
          urls,
          "http://LocalHost:" + server.getPort() + "/img/blocked.png#top\nblocked-domain.test\n");
      Path out = tmp.resolve("out");
      int code =
          Forge.execute(
              "run",
              "image-text",
              "--parallelism",
              "2",
              "--input",
              list.toString(),
              "--input",
              corrupt.get(0).toString(),
              "--input",
              corrupt.get(1).toString(),
              "--output",
              out.toString(),
              "--allow-host",
              "localhost",
              "--keep-columns",
              "note",
              "--filter-col",
              "score",
              "--filter-min",
              "0.3",
              "--uid-col",
              "uid",
              "--blocklist-urls",
              urls.toString(),
              "--blocklist-hashes",
              hashes.toString(),
              "--fetch-retries",
              "1",
              "--fetch-backoff-ms",
              "10",
              "--fetch-deadline-ms",
              "1500",
              "--max-image-bytes",
              "200000",
              "--progress-seconds",
              "0");
      assertEquals(0, code);
      Map<String, String> reasons = new HashMap<>();
      OutputReader.rejectReasonsByName(out.resolve("rejects"))
          .forEach(
              (name, stageReason) ->
                  reasons.put("/" + name, stageReason.substring(stageReason.indexOf('/') + 1)));
      List<Map<String, Object>> kept = OutputReader.parquetRows(out.resolve("data"));
      assertEquals(2, kept.size(), "kept " + kept.size() + ", rejects " + reasons);
      assertEquals("blocklisted_url", reasons.get("/blocked.png"), reasons.toString());
      assertTrue(requested.contains("/img/1.png"), requested.toString());
      assertFalse(requested.contains("/img/blocked.png"), "a blocklisted URL is never fetched");
      assertEquals("fetch_redirect_blocklisted", reasons.get("/to-blocked"), reasons.toString());
      assertTrue(requested.contains("/to-blocked"), requested.toString());
      assertEquals("blocklisted_hash", reasons.get("/3.png"), reasons.toString());
      assertEquals("filter_col_below_min", reasons.get("/low.png"), reasons.toString());
      assertEquals("filter_col_not_a_number", reasons.get("/nan.png"), reasons.toString());
      assertEquals("uid_invalid", reasons.get("/nouid.png"), reasons.toString());
      for (String unfetched : List.of("/img/low.png", "/img/nan.png", "/img/nouid.png")) {
        assertFalse(requested.contains(unfetched), unfetched + " was fetched");
      }
      // the kept rows carry their input columns, and uids.npy holds their uids, sorted
      java.util.List<String> keptUids = new java.util.ArrayList<>();
      for (Map<String, Object> r : kept) {
        // a list of (name, value) structs, in the order the flags name them
        Map<String, Object> columns = new java.util.LinkedHashMap<>();
        for (Object c : (List<?>) r.get("columns")) {
          Map<?, ?> column = (Map<?, ?>) c;
          columns.put((String) column.get("name"), column.get("value"));
        }
        assertEquals(Set.of("note", "score", "uid"), columns.keySet(), columns.toString());
        assertTrue(((String) columns.get("note")).startsWith("note "), columns.toString());
        assertTrue(Double.parseDouble((String) columns.get("score")) >= 0.3, columns.toString());
        keptUids.add((String) columns.get("uid"));
      }
      java.util.Collections.sort(keptUids);
      // the WebDataset members' JSON carries them too
      List<String> shardUids = new java.util.ArrayList<>();
      for (Map.Entry<String, byte[]> m :
          OutputReader.tarMembers(out.resolve("exports/webdataset")).entrySet()) {
        if (m.getKey().endsWith(".json")) {
          shardUids.add(
              new com.fasterxml.jackson.databind.ObjectMapper()
                  .readTree(m.getValue())
                  .path("columns")
                  .path("uid")
                  .asText());
        }
      }
      java.util.Collections.sort(shardUids);
      assertEquals(keptUids, shardUids);
      Path npy = out.resolve("exports/datacomp/uids.npy");
      assertTrue(Files.size(npy) > 0);
      // numpy reads it back where it is installed; CI installs it, so there it must be
      if (OutputReader.numpy()) {
        Process numpy =
            new ProcessBuilder(
                    "python3",
                    "-c",
                    "import numpy, sys; a = numpy.load(sys.argv[1]); print(a.dtype.str, a.dtype.names);"
                        + " [print('%016x%016x' % (int(r['f0']), int(r['f1']))) for r in a]",
                    npy.toString())
                .redirectErrorStream(true)
                .start();
        List<String> lines = new String(numpy.getInputStream().readAllBytes()).lines().toList();
        assertEquals(0, numpy.waitFor(), lines.toString());
        assertEquals("|V16 ('f0', 'f1')", lines.get(0));
        assertEquals(keptUids, lines.subList(1, lines.size()));
      }
      // the manifest names each list by its SHA-256, and nothing of the run shows an entry
      JsonNode config = RunDriver.readManifest(out.toString()).path("config");
      assertEquals(
          hex("SHA-256", Files.readAllBytes(hashes)),
          config.at("/blocklist_hashes/sha256").asText());
      assertEquals(
          hex("SHA-256", Files.readAllBytes(urls)), config.at("/blocklist_urls/sha256").asText());
      for (String file : List.of("manifest.json", "report.html")) {
        String text = Files.readString(out.resolve(file)).toLowerCase(java.util.Locale.ROOT);
        assertFalse(text.contains(md5) || text.contains("blocked-domain.test"), file);
      }
      assertTrue(
          kept.stream()
              .allMatch(
                  r ->
                      ((String) r.get("url")).startsWith(base + "/img/")
                          && ((String) r.get("source_ref")).contains("urls.csv#")));
      assertEquals("fetch_http_404", reasons.get("/missing"));
      assertEquals("fetch_http_500", reasons.get("/error"));
      assertEquals("fetch_timeout", reasons.get("/slow"));
      assertEquals("fetch_address_refused", reasons.get("/metadata"));
      assertEquals("fetch_robots_noai", reasons.get("/noai"));
      assertEquals("fetch_too_large", reasons.get("/endless"));
      assertEquals("fetch_address_refused", reasons.get("/1.png"));
      assertTrue(
          reasons.values().contains("malformed_file") || reasons.values().contains("malformed_row"),
          reasons.toString());
      assertEquals(
          "malformed_file",
          reasons.get("/" + CorruptParquet.TRUNCATED + "#@1"),
          reasons.toString());
      assertEquals(
          "malformed_file",
          reasons.get("/" + CorruptParquet.WRONG_MAGIC + "#@1"),
          reasons.toString());
    } finally {
      server.shutdown();
    }
  }

  private static String hex(String algorithm, byte[] bytes) throws Exception {
    return java.util.HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
  }
}
