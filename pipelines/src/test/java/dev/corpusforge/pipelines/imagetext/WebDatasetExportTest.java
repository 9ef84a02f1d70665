package dev.corpusforge.pipelines.imagetext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corpusforge.core.testing.TestPipelineExtension;
import dev.corpusforge.schemas.ImageTextSample;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The WebDataset export's shard count, and its shards when fewer samples than shards exist. */
@ExtendWith(TestPipelineExtension.class)
class WebDatasetExportTest {
  TestPipeline p;
  @TempDir Path dir;

  @Test
  void shardCountIsRoundedUpToAMultipleOfTheRanks() {
    assertEquals(0, WebDatasetExport.shards(0, 10, 4));
    assertEquals(1, WebDatasetExport.shards(1, 10_000, 1));
    assertEquals(3, WebDatasetExport.shards(25_000, 10_000, 1));
    assertEquals(4, WebDatasetExport.shards(25_000, 10_000, 4));
    assertEquals(4, WebDatasetExport.shards(40_000, 10_000, 4));
    assertEquals(8, WebDatasetExport.shards(40_001, 10_000, 4));
    assertEquals(8, WebDatasetExport.shards(3, 1, 8));
  }

  @Test
  void everyShardIsWrittenAlsoOneThatNoSampleFallsIn() throws Exception {
    // three samples over eight shards: five or more hold none, and are still written
    p.apply(
            Create.of(sample("a"), sample("b"), sample("c"))
                .withCoder(AvroCoder.of(ImageTextSample.class)))
        .apply(new WebDatasetExport(dir.toString(), 1, 8));
    p.run().waitUntilFinish();

    List<Path> tars;
    try (Stream<Path> files = Files.list(dir)) {
      tars = files.filter(f -> f.toString().endsWith(".tar")).sorted().toList();
    }
    assertEquals(
        IntStream.range(0, 8).mapToObj(i -> String.format("shard-%05d.tar", i)).toList(),
        tars.stream().map(t -> t.getFileName().toString()).toList());
    List<String> members = new ArrayList<>();
    int empty = 0;
    for (Path tar : tars) {
      List<String> names = names(tar);
      empty += names.isEmpty() ? 1 : 0;
      members.addAll(names);
    }
    assertEquals(9, members.size(), members.toString());
    assertTrue(members.containsAll(List.of("a.png", "b.txt", "c.json")), members.toString());
    assertTrue(empty >= 5, empty + " empty shards");
  }

  private static List<String> names(Path tar) throws Exception {
    List<String> names = new ArrayList<>();
    try (InputStream in = Files.newInputStream(tar);
        TarArchiveInputStream t = new TarArchiveInputStream(in)) {
      while (t.getNextEntry() != null) {
        names.add(t.getCurrentEntry().getName());
      }
    }
    return names;
  }

  private static ImageTextSample sample(String id) {
    return ImageTextSample.newBuilder()
        .setSampleId(id)
        .setSource("/in/" + id + ".png")
        .setCaption("a caption of " + id)
        .setImage(ByteBuffer.wrap(new byte[] {(byte) 0x89, 'P', 'N', 'G'}))
        .setImageFormat("png")
        .build();
  }
}
