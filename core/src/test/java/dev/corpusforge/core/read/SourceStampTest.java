package dev.corpusforge.core.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stamp stays while nothing changes and moves with any change a reader would see. */
class SourceStampTest {
  @TempDir Path tmp;

  @Test
  void aFolderStampMovesWithEveryFileUnderIt() throws Exception {
    Path bundle = Files.createDirectories(tmp.resolve("bundle/sub"));
    Path model = Files.writeString(bundle.resolve("model.onnx"), "weights");
    Files.setLastModifiedTime(model, FileTime.fromMillis(1_700_000_000_000L));
    String first = SourceStamp.folder(tmp.resolve("bundle").toString());
    assertEquals(first, SourceStamp.folder("file://" + tmp.resolve("bundle")));

    // the same size, written again: only its time tells
    Files.writeString(model, "WEIGHTS");
    Files.setLastModifiedTime(model, FileTime.fromMillis(1_700_000_001_000L));
    String rewritten = SourceStamp.folder(tmp.resolve("bundle").toString());
    assertNotEquals(first, rewritten);

    Files.writeString(bundle.resolve("tokenizer.json"), "{}");
    assertNotEquals(rewritten, SourceStamp.folder(tmp.resolve("bundle").toString()));
    assertEquals("absent", SourceStamp.folder(tmp.resolve("none").toString()));
  }

  @Test
  void aFileStampMovesWithItsSizeOrTime() throws Exception {
    Path file = Files.writeString(tmp.resolve("gt.json"), "{}");
    Files.setLastModifiedTime(file, FileTime.fromMillis(1_700_000_000_000L));
    String first = SourceStamp.file(file.toString());
    assertEquals(first, SourceStamp.file(file.toString()));
    Files.writeString(file, "{} ");
    Files.setLastModifiedTime(file, FileTime.fromMillis(1_700_000_000_000L));
    assertNotEquals(first, SourceStamp.file(file.toString()));
  }
}
