package dev.corpusforge.annotators.region;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.corpusforge.core.testing.ExternalTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Our RLE strings decoded by a second implementation: coco-maskapi (npm), a port of pycocotools'
 * maskApi.c by another author, run by Node. Installed into target/ from src/test/js/rle-check with
 * {@code npm ci}; skipped where there is no Node, except under CI (the {@code CI} environment
 * variable set, as {@code .ci/run} does), where it fails instead.
 */
class CocoRleCrossCheckTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void masksDecodeTheSameInCocoMaskapi() throws Exception {
    boolean node = ExternalTools.onPath("node") && ExternalTools.onPath("npm");
    if (System.getenv("CI") != null) {
      assertTrue(
          node, "CI installs Node.js and npm (.ci/run); the cross-check must not be skipped there");
    }
    Assumptions.assumeTrue(node, "Node.js and npm are not installed");
    Path tool = Path.of("target", "rle-check");
    Files.createDirectories(tool);
    for (String f :
        List.of("package.json", "package-lock.json", "hooks.mjs", "register.mjs", "check.mjs")) {
      Files.copy(
          Path.of("src", "test", "js", "rle-check", f),
          tool.resolve(f),
          StandardCopyOption.REPLACE_EXISTING);
    }
    if (!Files.isDirectory(tool.resolve("node_modules/coco-maskapi"))) {
      ExternalTools.run(tool, null, "npm", "ci", "--no-audit", "--no-fund");
    }

    List<BinaryMask> masks = new ArrayList<>();
    masks.add(CocoRle.decode(new CocoRle.Rle(2211, 2097, CocoRleTest.PUBLISHED)));
    Random r = new Random(11);
    for (int t = 0; t < 120; t++) {
      int w = 1 + r.nextInt(120);
      int h = 1 + r.nextInt(120);
      BinaryMask m = new BinaryMask(w, h);
      double radius = r.nextDouble() * w;
      double noise = r.nextDouble() * 0.2;
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          m.set(x, y, Math.hypot(x - w / 3.0, y - h / 2.0) < radius ^ r.nextDouble() < noise);
        }
      }
      masks.add(m);
    }
    ArrayNode input = JSON.createArrayNode();
    List<CocoRle.Rle> rles = new ArrayList<>();
    for (BinaryMask m : masks) {
      CocoRle.Rle rle = CocoRle.encode(m);
      rles.add(rle);
      input
          .addObject()
          .put("height", rle.height())
          .put("width", rle.width())
          .put("counts", rle.counts());
    }
    JsonNode out =
        JSON.readTree(
            ExternalTools.run(
                tool,
                JSON.writeValueAsBytes(input),
                "node",
                "--import",
                "./register.mjs",
                "check.mjs"));
    assertEquals(masks.size(), out.size());
    for (int i = 0; i < masks.size(); i++) {
      BinaryMask m = masks.get(i);
      JsonNode theirs = out.get(i);
      long[] runs = new long[theirs.get("runs").size()];
      for (int j = 0; j < runs.length; j++) {
        runs[j] = theirs.get("runs").get(j).asLong();
      }
      assertArrayEquals(CocoRle.runs(m), runs, "runs of mask " + i);
      assertEquals(rles.get(i).counts(), theirs.get("reencoded").asText(), "re-encoded mask " + i);
      String pixels = theirs.get("pixels").asText();
      StringBuilder ours = new StringBuilder(pixels.length());
      for (int x = 0; x < m.width(); x++) {
        for (int y = 0; y < m.height(); y++) {
          ours.append(m.get(x, y) ? '1' : '0');
        }
      }
      assertEquals(ours.toString(), pixels, "pixels of mask " + i);
    }
  }
}
