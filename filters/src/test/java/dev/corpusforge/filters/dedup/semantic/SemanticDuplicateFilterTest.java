package dev.corpusforge.filters.dedup.semantic;

import static dev.corpusforge.filters.TestSamples.IDENTITY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corpusforge.core.StepResult;
import dev.corpusforge.core.testing.TestPipelineExtension;
import dev.corpusforge.schemas.ImageTextSample;
import dev.corpusforge.schemas.Reject;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Semantic dedup on the Direct runner: groups of near-identical embeddings among distinct ones, a
 * record without an embedding, clusters split by size, more clusters than rows.
 */
@ExtendWith(TestPipelineExtension.class)
class SemanticDuplicateFilterTest {
  TestPipeline p;

  static ImageTextSample withEmbedding(String id, float[] e) {
    List<Float> list = null;
    if (e != null) {
      list = new ArrayList<>();
      for (float f : e) {
        list.add(f);
      }
    }
    return ImageTextSample.newBuilder()
        .setSampleId(id)
        .setSource("src/" + id)
        .setCaption("c " + id)
        .setImageEmbedding(list)
        .build();
  }

  static float[] embedding(ImageTextSample s) {
    if (s.getImageEmbedding() == null) {
      return null;
    }
    float[] e = new float[s.getImageEmbedding().size()];
    for (int i = 0; i < e.length; i++) {
      e[i] = s.getImageEmbedding().get(i);
    }
    return e;
  }

  /**
   * 40 distinct directions in 64 dimensions; four of them have copies ("dupN-k") within a tiny
   * angle; one record has no embedding.
   */
  static List<ImageTextSample> corpus() {
    SplittableRandom r = new SplittableRandom(5);
    List<ImageTextSample> all = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      float[] v = new float[64];
      for (int d = 0; d < v.length; d++) {
        v[d] = (float) r.nextGaussian();
      }
      float[] base = KMeansTest.unit(v);
      all.add(withEmbedding(String.format("id%02d", i), base));
      for (int k = 0; i < 4 && k <= i; k++) {
        float[] copy = base.clone();
        copy[k] += 0.01f;
        all.add(withEmbedding(String.format("dup%d-%d", i, k), KMeansTest.unit(copy)));
      }
    }
    all.add(withEmbedding("none", null));
    return all;
  }

  private StepResult<ImageTextSample> run(SemDedupConfig config) {
    return p.apply(Create.of(corpus()).withCoder(AvroCoder.of(ImageTextSample.class)))
        .apply(
            SemanticDuplicateFilter.of(
                SemanticDuplicateFilterTest::embedding,
                s -> "thumb-" + s.getSampleId(),
                IDENTITY,
                config));
  }

  @Test
  void copiesGoAndEachNamesAKeptSurvivor() {
    SemDedupConfig config = new SemDedupConfig(0.001, 0, 1000, 1000, 7, 50, 3);
    SemanticDuplicateFilter<ImageTextSample> filter =
        SemanticDuplicateFilter.of(
            SemanticDuplicateFilterTest::embedding,
            s -> "thumb-" + s.getSampleId(),
            IDENTITY,
            config);
    StepResult<ImageTextSample> out =
        p.apply(Create.of(corpus()).withCoder(AvroCoder.of(ImageTextSample.class))).apply(filter);
    PAssert.that(
            out.rejects()
                .apply(
                    MapElements.into(TypeDescriptors.strings())
                        .via((Reject x) -> x.getStage() + "/" + x.getReason())))
        .satisfies(
            reasons -> {
              List<String> all = new ArrayList<>();
              reasons.forEach(all::add);
              // 1 + 2 + 3 + 4 copies of four directions: 10 of 14 records go
              assertEquals(10, all.size(), "one survivor per group of copies");
              assertTrue(all.stream().allMatch("dedup/dup_semantic"::equals));
              return null;
            });
    PAssert.that(
            out.kept()
                .apply(
                    "kept ids",
                    MapElements.into(TypeDescriptors.strings()).via(ImageTextSample::getSampleId)))
        .satisfies(
            ids -> {
              List<String> kept = new ArrayList<>();
              ids.forEach(kept::add);
              assertEquals(41, kept.size(), "36 distinct, 4 survivors, 1 without an embedding");
              assertTrue(kept.contains("none"), "no embedding: kept, not compared");
              return null;
            });
    PAssert.that(filter.report())
        .satisfies(
            lines -> {
              ObjectMapper json = new ObjectMapper();
              int pairs = 0;
              JsonNode section = null;
              for (String line : lines) {
                JsonNode n = parse(json, line);
                if (n.path("kind").asText().equals("semantic_pair")) {
                  pairs++;
                  assertTrue(n.path("similarity").asDouble() > 0.999);
                  assertEquals(
                      "thumb-" + n.path("sample_id").asText(), n.path("thumbnail").asText());
                  assertEquals(
                      "thumb-" + n.path("survivor_id").asText(),
                      n.path("survivor_thumbnail").asText());
                } else {
                  section = n.path("value");
                }
              }
              assertEquals(3, pairs, "the gallery's size");
              assertEquals(50, section.path("rows").asLong(), "rows with an embedding");
              assertEquals(1, section.path("clusters_fitted").asLong(), "50 rows: one cluster");
              assertEquals(10, section.path("duplicates").asLong());
              assertEquals(0, section.path("clusters_split").asLong());
              return null;
            });
    p.run().waitUntilFinish();
  }

  @Test
  void aLargeClusterIsSplitInParts() {
    // one cluster of 50 compared in parts of at most 3: the copies of a direction may fall in
    // different parts, so fewer are found, never a wrong one
    SemanticDuplicateFilter<ImageTextSample> filter =
        SemanticDuplicateFilter.of(
            SemanticDuplicateFilterTest::embedding,
            null,
            IDENTITY,
            new SemDedupConfig(0.001, 1, 1000, 3, 7, 50, 0));
    StepResult<ImageTextSample> out =
        p.apply(Create.of(corpus()).withCoder(AvroCoder.of(ImageTextSample.class))).apply(filter);
    PAssert.that(
            out.rejects()
                .apply(
                    MapElements.into(TypeDescriptors.strings())
                        .via((Reject x) -> x.getSampleId() + " " + x.getDetail())))
        .satisfies(
            rejects -> {
              int n = 0;
              for (String r : rejects) {
                n++;
                String id = r.substring(0, r.indexOf(' '));
                assertTrue(id.startsWith("dup"), "only copies go: " + r);
                String group = id.substring(3, id.indexOf('-'));
                String survivor = r.substring(r.lastIndexOf(' ') + 1);
                assertTrue(
                    survivor.equals("id0" + group) || survivor.startsWith("dup" + group + "-"),
                    "a survivor of its own group: " + r);
              }
              // copies that fall in one part are still found: the check above is not over nothing
              assertTrue(n > 0, "no copy found in any part");
              return null;
            });
    PAssert.that(filter.report())
        .satisfies(
            lines -> {
              JsonNode n = onlySection(lines);
              assertEquals(1, n.path("clusters_fitted").asLong());
              assertEquals(1, n.path("clusters_nonempty").asLong());
              assertEquals(1, n.path("clusters_split").asLong(), "50 members, at most 3 a part");
              assertEquals(1, n.path("clusters_by_size").path("10-99").asLong());
              assertTrue(
                  n.path("parts_compared").asLong() >= 10, "34 parts by hash, a few maybe empty");
              assertTrue(
                  n.path("parts_compared").asLong() <= SemanticDuplicateFilter.parts(50, 3),
                  "34 parts by hash, some empty: " + n);
              // within parts of ≤ 3, at most 3 pairs each
              assertTrue(
                  n.path("pairs_compared").asLong() <= 3 * n.path("parts_compared").asLong());
              // the whole cluster at once would compare far more
              assertTrue(n.path("pairs_compared").asLong() < 200, n.toString());
              return null;
            });
    p.run().waitUntilFinish();
  }

  @Test
  void moreClustersThanRows() {
    SemanticDuplicateFilter<ImageTextSample> filter =
        SemanticDuplicateFilter.of(
            SemanticDuplicateFilterTest::embedding,
            null,
            IDENTITY,
            new SemDedupConfig(0.001, 64, 1000, 1000, 7, 50, 0));
    p.apply(Create.of(corpus()).withCoder(AvroCoder.of(ImageTextSample.class))).apply(filter);
    PAssert.that(filter.report())
        .satisfies(
            lines -> {
              JsonNode n = onlySection(lines);
              assertEquals(50, n.path("clusters_fitted").asLong(), "never more than the points");
              assertTrue(n.path("clusters_nonempty").asLong() <= 50);
              long members = 0;
              for (JsonNode c : n.path("clusters_by_size")) {
                members += c.asLong();
              }
              assertEquals(n.path("clusters_nonempty").asLong(), members);
              // 50 distinct points seed 50 centroids, each its own point: no pair to compare
              assertEquals(50, n.path("clusters_by_size").path("1").asLong());
              assertEquals(0, n.path("pairs_compared").asLong());
              assertEquals(0, n.path("duplicates").asLong());
              return null;
            });
    p.run().waitUntilFinish();
  }

  /** The {@code semantic_dedup} section of report lines that hold nothing else. */
  private static JsonNode onlySection(Iterable<String> lines) {
    List<JsonNode> all = new ArrayList<>();
    lines.forEach(l -> all.add(parse(new ObjectMapper(), l)));
    assertEquals(1, all.size(), "one section line and no gallery: " + all);
    assertEquals("semantic_dedup", all.get(0).path("key").asText());
    return all.get(0).path("value");
  }

  private static JsonNode parse(ObjectMapper json, String line) {
    try {
      return json.readTree(line);
    } catch (Exception e) {
      throw new AssertionError(line, e);
    }
  }
}
