package dev.corpusforge.pipelines.io;

import dev.corpusforge.core.StepResult;
import dev.corpusforge.core.testing.TestPipelineExtension;
import dev.corpusforge.schemas.ImageTextSample;
import dev.corpusforge.schemas.Reject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(TestPipelineExtension.class)
public class ImageFolderSourceTest {
  TestPipeline p;

  @TempDir Path folder;

  @Test
  public void pairsSidecarsAndRejectsEveryOtherFile() throws Exception {
    Path dir = folder;
    byte[] png = Files.readAllBytes(Path.of("..", "testdata", "hostile", "palette.png"));
    Files.createDirectories(dir.resolve("sub"));
    Files.write(dir.resolve("sub/a.png"), png);
    Files.writeString(dir.resolve("sub/a.txt"), "\uFEFFa caption from a text file\n");
    Files.write(dir.resolve("b.PNG"), png);
    Files.writeString(dir.resolve("b.json"), "{\"caption\": \"a caption from json\"}");
    Files.write(dir.resolve("c.png"), png);
    Files.writeString(dir.resolve("c.json"), "{\"caption\": \"" + "x".repeat(3000) + "\"}");
    Files.write(dir.resolve("d.png"), png);
    Files.writeString(dir.resolve("e.txt"), "caption without image");
    Files.writeString(dir.resolve("f.md"), "notes");
    Files.write(dir.resolve("g.png"), new byte[40000]);
    Files.writeString(dir.resolve("g.txt"), "an image over the byte cap");

    int prefix = dir.toString().length();
    ReadLimits limits = new ReadLimits(30000, 1000, "caption");
    StepResult<ImageTextSample> out =
        p.apply(ImageFolderSource.of(List.of(dir.toString()), limits));
    PAssert.that(
            out.kept()
                .apply(
                    "kept",
                    MapElements.into(TypeDescriptors.strings())
                        .via(s -> s.getSource().substring(prefix) + "|" + s.getCaption().strip())))
        .containsInAnyOrder("/sub/a.png|a caption from a text file", "/b.PNG|a caption from json");
    PAssert.that(
            out.rejects()
                .apply(
                    "rejects",
                    MapElements.into(TypeDescriptors.strings())
                        .via((Reject r) -> r.getSource().substring(prefix) + "|" + r.getReason())))
        .containsInAnyOrder(
            "/c.png|caption_too_long",
            "/d.png|caption_missing",
            "/e.txt|image_missing",
            "/f.md|unsupported_file",
            "/g.png|image_too_large_bytes");
    p.run().waitUntilFinish();
  }

  @Test
  public void carriesTheNamedColumnsOfJsonSidecarsAlsoBesideATextCaption() throws Exception {
    Path dir = folder.resolve("columns");
    Files.createDirectories(dir);
    byte[] png = Files.readAllBytes(Path.of("..", "testdata", "hostile", "palette.png"));
    Files.write(dir.resolve("a.png"), png);
    Files.writeString(dir.resolve("a.txt"), "the text caption");
    Files.writeString(
        dir.resolve("a.json"),
        "{\"caption\": \"the json caption\", \"uid\": \"abc\", \"score\": 0.31,"
            + " \"tags\": [\"x\", 2]}");
    Files.write(dir.resolve("b.png"), png);
    Files.writeString(dir.resolve("b.json"), "{\"caption\": \"only json\", \"uid\": null}");
    Files.write(dir.resolve("c.png"), png);
    Files.writeString(dir.resolve("c.txt"), "no sidecar");

    int prefix = dir.toString().length();
    ReadLimits limits = new ReadLimits(30000, 1000, "caption", List.of("uid", "score", "tags"));
    StepResult<ImageTextSample> out =
        p.apply(ImageFolderSource.of(List.of(dir.toString()), limits));
    PAssert.that(
            out.kept()
                .apply(
                    "kept",
                    MapElements.into(TypeDescriptors.strings())
                        .via(
                            s ->
                                s.getSource().substring(prefix)
                                    + "|"
                                    + s.getCaption()
                                    + "|"
                                    + byName(s.getColumns()))))
        .containsInAnyOrder(
            "/a.png|the text caption|{score=0.31, tags=[\"x\",2], uid=abc}",
            "/b.png|only json|{score=null, tags=null, uid=null}",
            "/c.png|no sidecar|{score=null, tags=null, uid=null}");
    p.run().waitUntilFinish();
  }

  /** The carried columns as name → value, by name. */
  static java.util.Map<String, String> byName(List<dev.corpusforge.schemas.InputColumn> columns) {
    java.util.Map<String, String> byName = new java.util.TreeMap<>();
    columns.forEach(c -> byName.put(c.getName(), c.getValue()));
    return byName;
  }
}
