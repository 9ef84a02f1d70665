package dev.corpusforge.pipelines.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Folders given through symbolic links are checked as the readers read them: links followed. */
class InputCheckTest {
  @TempDir Path tmp;

  @Test
  void foldersAreWalkedThroughLinksAndLoopsAreNamed() throws Exception {
    Path docs = Files.createDirectories(tmp.resolve("docs"));
    Files.writeString(docs.resolve("a.txt"), "text");
    assertNull(InputCheck.problem(docs.toString()));
    Path link = Files.createSymbolicLink(tmp.resolve("docs-link"), docs);
    assertNull(InputCheck.problem(link.toString()), "a folder given as a link");
    Path outer = Files.createDirectories(tmp.resolve("outer"));
    Files.createSymbolicLink(outer.resolve("inner"), docs);
    assertNull(InputCheck.problem(outer.toString()), "a folder holding a link to one");

    Path empty = Files.createDirectories(tmp.resolve("empty"));
    assertEquals("is an empty folder", InputCheck.problem(empty.toString()));
    Path looped = Files.createDirectories(tmp.resolve("looped"));
    Files.createSymbolicLink(looped.resolve("again"), looped);
    String loop = InputCheck.problem(looped.toString());
    assertTrue(loop != null && loop.startsWith("holds a loop of symbolic links"), loop);
  }
}
