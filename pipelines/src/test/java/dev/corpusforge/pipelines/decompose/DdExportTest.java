package dev.corpusforge.pipelines.decompose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corpusforge.core.testing.TestPipelineExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The D_k export's numbering where it is hardest: bins (sample ids sharing their first four hex
 * digits) holding more sequences than a shard, so that shard boundaries fall inside bins and a
 * bin's sequences go to several shards' writers. Every bucket must still read back as its sequences
 * in sample-id order, numbered from 0, in full shards but the last.
 */
@ExtendWith(TestPipelineExtension.class)
class DdExportTest {
  TestPipeline p;
  @TempDir Path dir;

  /** A sample id of the given first four hex digits and a random rest. */
  private static String id(String prefix, SplittableRandom random) {
    StringBuilder id = new StringBuilder(prefix);
    while (id.length() < 64) {
      id.append(Character.forDigit(random.nextInt(16), 16));
    }
    return id.toString();
  }

  @Test
  void shardBoundariesInsideBinsNumberEverySequenceOnce() throws Exception {
    SplittableRandom random = new SplittableRandom(11);
    List<TokenChunk> chunks = new ArrayList<>();
    // bucket 8 (perShard 3 at 768 tokens a shard): bins of 1 to 9 sequences
    String[] prefixes = {"0000", "00a1", "3f3f", "3f40", "9999", "ffff"};
    int[] sizes = {7, 1, 9, 2, 5, 3};
    for (int b = 0; b < prefixes.length; b++) {
      for (int i = 0; i < sizes[b]; i++) {
        chunks.add(chunk(id(prefixes[b], random), 8, random));
      }
    }
    // bucket 9 (perShard 1): every shard boundary is inside a bin of several sequences
    for (int i = 0; i < 4; i++) {
      chunks.add(chunk(id("beef", random), 9, random));
    }
    String exports = dir.resolve("dd").toString();
    PCollection<TokenChunk> in = p.apply(Create.of(chunks).withCoder(TokenChunk.Coder.INSTANCE));
    PCollection<ChunkInfo> infos =
        in.apply(MapElements.into(TypeDescriptor.of(ChunkInfo.class)).via(TokenChunk::info))
            .setCoder(TokenChunk.InfoCoder.INSTANCE);
    PCollection<String> lines = in.apply(new DdExport(exports, 768, infos));
    PAssert.that(lines)
        .satisfies(
            all -> {
              List<JsonNode> parsed = new ArrayList<>();
              all.forEach(l -> parsed.add(read(l)));
              // 27 sequences of bucket 8 in 9 full shards of 3; 4 of bucket 9 in 4 shards of 1
              assertEquals(13, parsed.size(), "one export line per shard");
              for (JsonNode line : parsed) {
                assertEquals("dd", line.path("format").asText());
                assertTrue(!line.path("partial").asBoolean(), line.toString());
              }
              return null;
            });
    p.run().waitUntilFinish();

    Map<Integer, List<TokenChunk>> byBucket = new TreeMap<>();
    chunks.forEach(c -> byBucket.computeIfAbsent(c.bucket(), k -> new ArrayList<>()).add(c));
    for (Map.Entry<Integer, List<TokenChunk>> bucket : byBucket.entrySet()) {
      List<TokenChunk> sorted = new ArrayList<>(bucket.getValue());
      sorted.sort((a, b) -> a.sampleId().compareTo(b.sampleId()));
      int perShard = DdExport.perShard(768, bucket.getKey());
      List<String> read = new ArrayList<>();
      for (int s = 0; ; s++) {
        Path tar = dir.resolve(String.format("dd/D_%d/shard-%07d.tar", bucket.getKey(), s));
        if (!Files.exists(tar)) {
          assertEquals(sorted.size(), s * perShard, "bucket " + bucket.getKey() + ": full shards");
          break;
        }
        try (TarArchiveInputStream members = new TarArchiveInputStream(Files.newInputStream(tar))) {
          for (var e = members.getNextEntry(); e != null; e = members.getNextEntry()) {
            assertEquals(String.format("%012d.txt", read.size()), e.getName());
            read.add(new String(members.readAllBytes(), StandardCharsets.US_ASCII));
          }
        }
        assertEquals((s + 1) * perShard, read.size(), "shard " + s + " holds " + perShard);
      }
      assertEquals(
          sorted.stream().map(c -> Arrays.toString(c.tokens())).toList(),
          read,
          "bucket " + bucket.getKey() + ": every sequence once, in sample-id order");
    }
  }

  @Test
  void binsFollowTheSampleIdOrderWithinABucket() {
    assertTrue(DdExport.bin(8, "0000ff") < DdExport.bin(8, "0001aa"));
    assertTrue(DdExport.bin(8, "ffff00") < DdExport.bin(9, "000000"));
    assertEquals(DdExport.bin(12, "abcd0"), DdExport.bin(12, "abcdf"));
    assertEquals(12, DdExport.bucketOfBin(DdExport.bin(12, "abcd")));
    assertThrows(IllegalArgumentException.class, () -> DdExport.bin(8, "ABCD"));
    assertThrows(IllegalArgumentException.class, () -> DdExport.bin(8, "doc1"));
    Map<Integer, Long> counts = new HashMap<>();
    counts.put(DdExport.bin(8, "aaaa"), 5L);
    counts.put(DdExport.bin(8, "0000"), 2L);
    counts.put(DdExport.bin(9, "0000"), 4L);
    DdExport.BinStarts starts = new DdExport.BinStarts(counts);
    assertEquals(
        List.of(0L, 2L), Arrays.stream(starts.of(DdExport.bin(8, "0000"))).boxed().toList());
    assertEquals(
        List.of(2L, 5L), Arrays.stream(starts.of(DdExport.bin(8, "aaaa"))).boxed().toList());
    assertEquals(
        List.of(0L, 4L), Arrays.stream(starts.of(DdExport.bin(9, "0000"))).boxed().toList());
  }

  private static TokenChunk chunk(String sampleId, int bucket, SplittableRandom random) {
    int[] tokens = random.ints(1 << bucket, 0, 100_000).toArray();
    return new TokenChunk(sampleId, "src", "doc-" + sampleId.substring(0, 8), 0, bucket, tokens);
  }

  private static JsonNode read(String line) {
    try {
      return new ObjectMapper().readTree(line);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
