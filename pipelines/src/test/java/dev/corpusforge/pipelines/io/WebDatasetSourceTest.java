package dev.corpusforge.pipelines.io;

import dev.corpusforge.core.StepResult;
import dev.corpusforge.core.testing.TestPipelineExtension;
import dev.corpusforge.schemas.ImageTextSample;
import dev.corpusforge.schemas.Reject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(TestPipelineExtension.class)
public class WebDatasetSourceTest {
  TestPipeline p;

  @TempDir Path folder;

  static final ReadLimits LIMITS = new ReadLimits(1 << 20, 1 << 16, "caption");

  static byte[] tar(Object... nameAndBytes) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      for (int i = 0; i < nameAndBytes.length; i += 2) {
        byte[] content =
            nameAndBytes[i + 1] instanceof String s
                ? s.getBytes(StandardCharsets.UTF_8)
                : (byte[]) nameAndBytes[i + 1];
        TarArchiveEntry e = new TarArchiveEntry((String) nameAndBytes[i]);
        e.setSize(content.length);
        tar.putArchiveEntry(e);
        tar.write(content);
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  private StepResult<ImageTextSample> read(Path... tars) {
    return p.apply(WebDatasetSource.of(Arrays.stream(tars).map(Path::toString).toList(), LIMITS));
  }

  @Test
  public void groupsMembersByKeyAndRejectsBrokenOnes() throws Exception {
    byte[] jpg = Files.readAllBytes(Path.of("..", "testdata", "hostile", "cmyk.jpg"));
    Path good = folder.resolve("good.tar");
    Files.write(
        good,
        tar(
            "a/0001.jpg",
            jpg,
            "a/0001.txt",
            "a parrot on a branch",
            "a/0002.png",
            jpg,
            "a/0002.json",
            "{\"caption\": \"from json\", \"url\": \"x\"}",
            "a/0003.jpg",
            jpg,
            "a/0004.txt",
            "caption without image",
            "a/0005.jpg",
            jpg,
            "a/0005.json",
            "{not json"));
    // a shard cut in the middle of its second member
    byte[] full =
        tar(
            "b/0001.jpg",
            jpg,
            "b/0001.txt",
            "first sample",
            "b/0002.jpg",
            jpg,
            "b/0002.txt",
            "second sample");
    Path truncated = folder.resolve("truncated.tar");
    Files.write(truncated, Arrays.copyOf(full, 512 + jpg.length + 512 + 300));
    // a shard cut inside the data of its second member
    Path cutInMember = folder.resolve("cut-in-member.tar");
    int jpgBlocks = 512 * ((jpg.length + 511) / 512);
    Files.write(cutInMember, Arrays.copyOf(full, 512 + jpgBlocks + 512 + 5));
    Path garbage = folder.resolve("garbage.tar");
    Files.write(
        garbage,
        "this is not a tar archive at all, just text that goes on"
            .repeat(20)
            .getBytes(StandardCharsets.UTF_8));
    Path linked = folder.resolve("linked.tar");
    java.io.ByteArrayOutputStream linkBytes = new java.io.ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(linkBytes)) {
      TarArchiveEntry link = new TarArchiveEntry("c/0001.jpg", TarArchiveEntry.LF_SYMLINK);
      link.setLinkName("/etc/passwd");
      tar.putArchiveEntry(link);
      tar.closeArchiveEntry();
      byte[] caption = "a caption next to a link".getBytes(StandardCharsets.UTF_8);
      TarArchiveEntry txt = new TarArchiveEntry("c/0001.txt");
      txt.setSize(caption.length);
      tar.putArchiveEntry(txt);
      tar.write(caption);
      tar.closeArchiveEntry();
    }
    Files.write(linked, linkBytes.toByteArray());
    Path empty = folder.resolve("empty.tar");
    Files.write(empty, tar());

    StepResult<ImageTextSample> out = read(good, truncated, cutInMember, garbage, linked, empty);
    PAssert.that(
            out.kept()
                .apply(
                    "kept",
                    MapElements.into(TypeDescriptors.strings())
                        .via(
                            s ->
                                s.getSource().replaceAll(".*/(?=[^/]*\\.tar)", "")
                                    + "|"
                                    + s.getCaption())))
        .containsInAnyOrder(
            "good.tar#a/0001.jpg|a parrot on a branch", "good.tar#a/0002.png|from json");
    PAssert.that(
            out.rejects()
                .apply(
                    "rejects",
                    MapElements.into(TypeDescriptors.strings())
                        .via(
                            (Reject r) ->
                                r.getSource()
                                        .replaceAll(".*/(?=[^/]*\\.tar)", "")
                                        .replaceAll("#@\\d+", "#@N")
                                    + "|"
                                    + r.getReason())))
        .containsInAnyOrder(
            "good.tar#a/0003|caption_missing",
            "good.tar#a/0004|image_missing",
            "good.tar#a/0005|malformed_row",
            "truncated.tar#b/0001|tar_truncated",
            "cut-in-member.tar#b/0001|tar_member_unreadable",
            "cut-in-member.tar#@N|tar_unreadable",
            "garbage.tar#@N|tar_unreadable",
            "linked.tar#c/0001|unsupported_file",
            "empty.tar|tar_empty");
    p.run().waitUntilFinish();
  }

  @Test
  public void keyIsThePathUpToTheFirstDotOfTheFileName() {
    org.junit.jupiter.api.Assertions.assertEquals(
        List.of("dir.v2/abc", "seg.jpg"),
        List.of(WebDatasetSource.keyAndExtension("dir.v2/abc.seg.jpg")));
  }
}
