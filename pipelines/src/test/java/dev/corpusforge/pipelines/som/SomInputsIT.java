package dev.corpusforge.pipelines.som;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corpusforge.pipelines.cli.Forge;
import dev.corpusforge.pipelines.testing.CorruptParquet;
import dev.corpusforge.pipelines.testing.OutputReader;
import dev.corpusforge.schemas.CocoRleMask;
import dev.corpusforge.schemas.RegionEntitySample;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The other inputs and listers: a region-entity output as masks, and listings from a vision
 * endpoint on 127.0.0.1.
 */
class SomInputsIT {
  static final Path SCENES = SomPipelineIT.SCENES;

  @TempDir Path tmp;

  @Test
  void aRegionEntityOutputGivesOneTaggedImagePerDistinctImage() throws Exception {
    JsonNode gt = SomPipelineIT.JSON.readTree(SCENES.resolve("ground_truth.json").toFile());
    Path data = tmp.resolve("region/data");
    Files.createDirectories(data);
    String image9 = SCENES.resolve("images/scene-00009-k3.jpg").toAbsolutePath().toString();
    String image10 = SCENES.resolve("images/scene-00010-k3.jpg").toAbsolutePath().toString();
    List<RegionEntitySample> rows = new ArrayList<>();
    rows.add(sample("a", image9, "Moon", SomPipelineIT.truth(gt, 9, 0)));
    rows.add(sample("b", image9, "Kite", SomPipelineIT.truth(gt, 9, 1)));
    rows.add(sample("c", image10, "Lamp", SomPipelineIT.truth(gt, 10, 2)));
    try (ParquetWriter<RegionEntitySample> w =
        AvroParquetWriter.<RegionEntitySample>builder(
                new org.apache.hadoop.fs.Path(data.resolve("part-00000-of-00001.parquet").toUri()))
            .withSchema(RegionEntitySample.getClassSchema())
            .withConf(new Configuration())
            .build()) {
      for (RegionEntitySample s : rows) {
        w.write(s);
      }
    }
    CorruptParquet.write(data, RegionEntitySample.getClassSchema(), List.of(rows.get(0)));
    Path out = tmp.resolve("out");
    assertEquals(
        0,
        Forge.execute(
            "run",
            "som",
            "--region-entity",
            tmp.resolve("region").toString(),
            "--output",
            out.toString(),
            "--mark-modes",
            "outline",
            "--progress-seconds",
            "0"));
    JsonNode manifest = SomPipelineIT.JSON.readTree(out.resolve("manifest.json").toFile());
    assertEquals(
        4,
        manifest.path("counts").path("inputs").asLong(),
        "two distinct images and two data files that cannot be read");
    assertEquals(2, manifest.path("counts").path("kept").asLong());
    Map<String, String> unreadable = OutputReader.rejectReasonsByName(out.resolve("rejects"));
    assertEquals(
        "read/malformed_file",
        unreadable.get(CorruptParquet.TRUNCATED + "#@1"),
        unreadable.toString());
    assertEquals(
        "read/malformed_file",
        unreadable.get(CorruptParquet.WRONG_MAGIC + "#@1"),
        unreadable.toString());
    Map<String, Object> listings = new TreeMap<>();
    for (Map<String, Object> r : OutputReader.parquetRows(out.resolve("data"))) {
      listings.put((String) r.get("source"), r.get("listing"));
    }
    // marks are numbered smallest mask first: the order follows from the masks' areas
    long moon = areaOf(SomPipelineIT.truth(gt, 9, 0));
    long kite = areaOf(SomPipelineIT.truth(gt, 9, 1));
    assertTrue(moon != kite, "the two masks differ in area");
    assertEquals(
        moon < kite ? "1. Moon\n2. Kite" : "1. Kite\n2. Moon",
        listings.get(image9),
        listings.toString());
    assertEquals("1. Lamp", listings.get(image10));
  }

  private static long areaOf(JsonNode seg) {
    return dev.corpusforge.annotators.region.CocoRle.decode(
            new dev.corpusforge.annotators.region.CocoRle.Rle(
                seg.path("size").get(0).asInt(),
                seg.path("size").get(1).asInt(),
                seg.path("counts").asText()))
        .area();
  }

  private static RegionEntitySample sample(String id, String image, String name, JsonNode seg) {
    return RegionEntitySample.newBuilder()
        .setSampleId(id)
        .setSource("rows.jsonl#" + id)
        .setImage(image)
        .setWidth(512)
        .setHeight(384)
        .setEntityId("Q-" + name)
        .setEntityName(name)
        .setSplit("entity")
        .setTextPrompt(name)
        .setMask(
            new CocoRleMask(
                List.of(seg.path("size").get(0).asInt(), seg.path("size").get(1).asInt()),
                seg.path("counts").asText()))
        .setBbox(List.of(0, 0, 1, 1))
        .setArea(1)
        .setScores(List.of())
        .setAgreementIou(1.0)
        .build();
  }

  @Test
  void aVisionEndpointListsTheTaggedImageAndAWrongCountIsARejectNotAGuess() throws Exception {
    JsonNode gt = SomPipelineIT.JSON.readTree(SCENES.resolve("ground_truth.json").toFile());
    ObjectNode coco = SomPipelineIT.JSON.createObjectNode();
    coco.putArray("images").addObject().put("id", 9).put("file_name", "images/scene-00009-k3.jpg");
    ((ArrayNode) coco.get("images"))
        .addObject()
        .put("id", 6)
        .put("file_name", "images/scene-00006-k2.jpg");
    ((ArrayNode) coco.get("images"))
        .addObject()
        .put("id", 8)
        .put("file_name", "images/scene-00008-k2.jpg");
    coco.putArray("categories").addObject().put("id", 1).put("name", "thing");
    ArrayNode anns = coco.putArray("annotations");
    for (int k = 0; k < 3; k++) {
      anns.addObject()
          .put("image_id", 9)
          .put("category_id", 1)
          .set("segmentation", SomPipelineIT.truth(gt, 9, k));
    }
    for (int k = 0; k < 2; k++) {
      anns.addObject()
          .put("image_id", 6)
          .put("category_id", 1)
          .set("segmentation", SomPipelineIT.truth(gt, 6, k));
      anns.addObject()
          .put("image_id", 8)
          .put("category_id", 1)
          .set("segmentation", SomPipelineIT.truth(gt, 8, k));
    }
    Path cocoFile = tmp.resolve("coco.json");
    SomPipelineIT.JSON.writeValue(cocoFile.toFile(), coco);
    List<String> seen = new ArrayList<>();
    List<JsonNode> bodies = new ArrayList<>();
    try (MockWebServer server = new MockWebServer()) {
      server.setDispatcher(
          new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
              JsonNode body;
              try {
                body = SomPipelineIT.JSON.readTree(request.getBody().readUtf8());
              } catch (Exception e) {
                return new MockResponse().setResponseCode(400);
              }
              // the target image is the last message's; worked examples come before it
              JsonNode messages = body.path("messages");
              JsonNode content = messages.get(messages.size() - 1).path("content");
              String prompt = content.get(0).path("text").asText();
              String url = content.get(1).path("image_url").path("url").asText();
              synchronized (seen) {
                seen.add(url.substring(0, Math.min(23, url.length())));
                bodies.add(body);
              }
              if (url.length() < 1000 || !url.startsWith("data:image/jpeg;base64,")) {
                return new MockResponse().setResponseCode(400);
              }
              // three tags: list them; two tags: list one only
              String answer =
                  prompt.contains("3 tags")
                      ? "Sure.\\n1. crescent moon\\n2. kite\\n3. lamp"
                      : "1. only one";
              return new MockResponse()
                  .setResponseCode(200)
                  .setBody(
                      "{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\""
                          + answer
                          + "\"}}]}");
            }
          });
      server.start(InetAddress.getLoopbackAddress(), 0);
      Path out = tmp.resolve("out");
      List<String> listing =
          List.of(
              "run",
              "som",
              "--coco",
              cocoFile.toString(),
              "--images",
              SCENES.toString(),
              "--lister",
              "openai",
              "--endpoint",
              server.url("/v1").toString(),
              "--llm-model",
              "vision-test",
              "--llm-retries",
              "0",
              "--progress-seconds",
              "0");
      assertEquals(0, Forge.execute(with(listing, "--output", out.toString())));
      List<Map<String, Object>> rows = OutputReader.parquetRows(out.resolve("data"));
      assertEquals(1, rows.size());
      assertEquals("1. crescent moon\n2. kite\n3. lamp", rows.get(0).get("listing"));
      Map<String, String> reasons = OutputReader.rejectReasonsByName(out.resolve("rejects"));
      assertEquals("listing/listing_mismatch", reasons.get("scene-00006-k2.jpg"));
      assertEquals("listing/listing_mismatch", reasons.get("scene-00008-k2.jpg"));
      assertEquals(3, seen.size(), "one request per image");
      assertTrue(seen.stream().allMatch(s -> s.equals("data:image/jpeg;base64,")));
      // a re-run is answered from the cache: no request
      Path again = tmp.resolve("again");
      assertEquals(
          0,
          Forge.execute(
              with(listing, "--llm-cache", out + ".llm-cache", "--output", again.toString())));
      assertEquals(3, seen.size(), "every answer came from the cache");
      assertEquals(
          rows.get(0).get("listing"),
          OutputReader.parquetRows(again.resolve("data")).get(0).get("listing"));

      // with worked examples, SoM-LLaVA's way: a system message, each example's user turn (the
      // prompt with its own number of tags, its image) and assistant turn (its answer), in name
      // order, then the target image; the QA split is written next to the listing
      Path examples = tmp.resolve("examples");
      Files.createDirectories(examples);
      Files.copy(SCENES.resolve("images/scene-00001-k1.jpg"), examples.resolve("a-portrait.jpg"));
      Files.writeString(examples.resolve("a-portrait.txt"), "1. A portrait of a woman.\n");
      javax.imageio.ImageIO.write(
          new java.awt.image.BufferedImage(40, 30, java.awt.image.BufferedImage.TYPE_INT_RGB),
          "png",
          examples.resolve("b-dark.png").toFile());
      Files.writeString(
          examples.resolve("b-dark.txt"), "1. Darkness.\n2. More darkness.\nBoth are unclear.");
      Files.writeString(examples.resolve("README.md"), "not an example");
      Path fewShot = tmp.resolve("few-shot");
      int before = bodies.size();
      assertEquals(
          0,
          Forge.execute(
              with(
                  listing,
                  "--lister-examples",
                  examples.toString(),
                  "--split",
                  "listing,qa",
                  "--llm-cache",
                  out + ".llm-cache",
                  "--output",
                  fewShot.toString())));
      assertEquals(before + 3, bodies.size(), "other requests than the cached ones: asked again");
      for (JsonNode body : bodies.subList(before, bodies.size())) {
        JsonNode m = body.path("messages");
        List<String> roles = new ArrayList<>();
        m.forEach(turn -> roles.add(turn.path("role").asText()));
        assertEquals(
            List.of("system", "user", "assistant", "user", "assistant", "user"), roles, body + "");
        assertEquals(SomConfig.DEFAULT_LISTER_SYSTEM, m.get(0).path("content").asText());
        assertTrue(m.get(1).path("content").get(0).path("text").asText().contains("1 tags"));
        assertTrue(
            m.get(1)
                .path("content")
                .get(1)
                .path("image_url")
                .path("url")
                .asText()
                .startsWith("data:image/jpeg;base64,"));
        assertEquals("1. A portrait of a woman.", m.get(2).path("content").asText());
        assertTrue(m.get(3).path("content").get(0).path("text").asText().contains("2 tags"));
        String png = m.get(3).path("content").get(1).path("image_url").path("url").asText();
        assertEquals(
            java.util.Base64.getEncoder()
                .encodeToString(Files.readAllBytes(examples.resolve("b-dark.png"))),
            png.substring("data:image/png;base64,".length()));
        assertEquals(
            "1. Darkness.\n2. More darkness.\nBoth are unclear.",
            m.get(4).path("content").asText());
        String target = m.get(5).path("content").get(1).path("image_url").path("url").asText();
        assertTrue(target.startsWith("data:image/jpeg;base64,") && target.length() > 1000);
      }
      List<Map<String, Object>> listed = OutputReader.parquetRows(fewShot.resolve("data"));
      assertEquals(1, listed.size());
      assertEquals(rows.get(0).get("listing"), listed.get(0).get("listing"));
      JsonNode qa =
          SomPipelineIT.JSON.readTree(fewShot.resolve("exports/llava/som_qa.json").toFile());
      assertEquals(1, qa.size());
      assertEquals(
          SomPipelineIT.JSON.readTree((String) listed.get(0).get("qa_conversation")), qa.get(0));
      JsonNode turns = qa.get(0).path("conversations");
      assertEquals(2 * MarkQuestions.DEFAULT_PER_IMAGE, turns.size());
      List<String> labels = List.of("crescent moon", "kite", "lamp");
      for (int i = 1; i < turns.size(); i += 2) {
        String answer = turns.get(i).path("value").asText();
        assertTrue(
            labels.stream().anyMatch(answer::contains) || answer.matches("\\d.*"),
            "an answer from the labels: " + answer);
      }
      assertTrue(Files.notExists(out.resolve("exports/llava/som_qa.json")), "only with --split qa");
      if (OutputReader.numpy()) {
        // the LLaVA loader's reading of the QA file, replayed by samples/scripts
        Process check =
            new ProcessBuilder(
                    "python3",
                    Path.of("..", "samples", "scripts", "check_llava_export.py").toString(),
                    fewShot.resolve("exports/llava").toString(),
                    "som_qa.json")
                .redirectErrorStream(true)
                .start();
        String printed = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, check.waitFor(), printed);
        assertTrue(printed.startsWith("1 records"), printed);
      }
    }
  }

  @Test
  void automaticMasksAreNumberedAndListedByTheVisionEndpoint() throws Exception {
    Path images = tmp.resolve("pictures");
    Files.createDirectories(images);
    Files.copy(SCENES.resolve("images/scene-00009-k3.jpg"), images.resolve("a.jpg"));
    Files.writeString(images.resolve("notes.txt"), "not an image");
    try (MockWebServer server = new MockWebServer()) {
      server.setDispatcher(
          new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
              java.util.regex.Matcher m =
                  java.util.regex.Pattern.compile("(\\d+) tags in all")
                      .matcher(request.getBody().readUtf8());
              if (!m.find()) {
                return new MockResponse().setResponseCode(400);
              }
              StringBuilder answer = new StringBuilder();
              for (int i = 1; i <= Integer.parseInt(m.group(1)); i++) {
                answer.append(i).append(". region ").append(i).append("\\n");
              }
              return new MockResponse()
                  .setBody("{\"choices\":[{\"message\":{\"content\":\"" + answer + "\"}}]}");
            }
          });
      server.start(InetAddress.getLoopbackAddress(), 0);
      Path out = tmp.resolve("out");
      assertEquals(
          0,
          Forge.execute(
              "run",
              "som",
              "--auto-masks",
              "--images",
              images.toString(),
              "--lister",
              "openai",
              "--endpoint",
              server.url("/v1").toString(),
              "--llm-model",
              "vision-test",
              "--output",
              out.toString(),
              "--progress-seconds",
              "0"));
      JsonNode manifest = SomPipelineIT.JSON.readTree(out.resolve("manifest.json").toFile());
      assertEquals(2, manifest.path("counts").path("inputs").asLong());
      assertEquals(
          "read/unsupported_file",
          OutputReader.rejectReasonsByName(out.resolve("rejects")).get("notes.txt"));
      List<Map<String, Object>> rows = OutputReader.parquetRows(out.resolve("data"));
      assertEquals(1, rows.size());
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> marks = (List<Map<String, Object>>) rows.get(0).get("marks");
      assertTrue(marks.size() >= 3, marks.size() + " automatic marks");
      assertEquals(marks.size(), manifest.path("marks").path("marks").asLong());
      assertEquals("region " + marks.size(), marks.get(marks.size() - 1).get("label"));
    }
  }

  @Test
  void theSameImagesGiveTheSameRowsOnDirectAndFlinkAtAnyParallelism() throws Exception {
    Path sample = Path.of("..", "samples", "som", "annotations.json");
    Path direct = tmp.resolve("direct");
    Path flink = tmp.resolve("flink");
    assertEquals(
        0,
        Forge.execute(
            "run",
            "som",
            "--runner",
            "direct",
            "--parallelism",
            "1",
            "--coco",
            sample.toString(),
            "--output",
            direct.toString(),
            "--progress-seconds",
            "0"));
    assertEquals(
        0,
        Forge.execute(
            "run",
            "som",
            "--runner",
            "flink",
            "--parallelism",
            "2",
            "--coco",
            sample.toString(),
            "--output",
            flink.toString(),
            "--progress-seconds",
            "0"));
    assertEquals(rowsById(direct), rowsById(flink));
    assertEquals(
        Files.readString(direct.resolve("exports/llava/som_listing.json")),
        Files.readString(flink.resolve("exports/llava/som_listing.json")));
  }

  /** Each row as text, the image as its bytes' hash, by sample id. */
  private static Map<String, String> rowsById(Path out) throws Exception {
    Map<String, String> rows = new TreeMap<>();
    for (Map<String, Object> r : OutputReader.parquetRows(out.resolve("data"))) {
      Map<String, Object> copy = new TreeMap<>(r);
      copy.put(
          "image",
          java.util.HexFormat.of()
              .formatHex(
                  java.security.MessageDigest.getInstance("SHA-256")
                      .digest(OutputReader.imageBytes(r))));
      rows.put((String) r.get("sample_id"), copy.toString());
    }
    assertTrue(rows.size() >= 9);
    return rows;
  }

  /** {@code args} followed by {@code more}. */
  private static String[] with(List<String> args, String... more) {
    List<String> all = new ArrayList<>(args);
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }
}
