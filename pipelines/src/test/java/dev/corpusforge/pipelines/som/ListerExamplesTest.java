package dev.corpusforge.pipelines.som;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corpusforge.pipelines.llm.ChatClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListerExamplesTest {
  @TempDir Path dir;

  private String refused(String because) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ListerExamples.load(dir.toString(), "{n} tags"),
            because);
    return e.getMessage();
  }

  @Test
  void examplesPairImagesWithAnswersInNameOrder() throws Exception {
    assertTrue(refused("an empty folder").contains("no example images"));
    Files.write(dir.resolve("b.jpg"), new byte[] {1, 2, 3});
    assertTrue(refused("an image alone").contains("b.txt"));
    Files.writeString(dir.resolve("b.txt"), "a kite and a lamp");
    assertTrue(refused("an answer numbering nothing").contains("numbers no tag"));
    Files.writeString(dir.resolve("b.txt"), "Here:\n1. kite\n2) lamp\n3: moon\nnotes");
    Files.writeString(dir.resolve("c.txt"), "1. x");
    assertTrue(refused("an answer alone").contains("c.txt"));
    Files.delete(dir.resolve("c.txt"));
    Files.write(dir.resolve("a.PNG"), new byte[] {9});
    Files.writeString(dir.resolve("a.txt"), "1. dot");
    List<ChatClient.Shot> shots = ListerExamples.load(dir.toString(), "{n} tags");
    assertEquals(2, shots.size());
    assertEquals(
        new ChatClient.Shot("1 tags", "data:image/png;base64,CQ==", "1. dot"), shots.get(0));
    assertEquals("3 tags", shots.get(1).prompt());
    assertEquals("data:image/jpeg;base64,AQID", shots.get(1).imageUrl());
    assertEquals(4, ListerExamples.files(dir.toString()).size());
    // a subfolder's files are not examples
    Files.createDirectories(dir.resolve("sub"));
    Files.write(dir.resolve("sub/z.jpg"), new byte[] {1});
    assertEquals(2, ListerExamples.load(dir.toString(), "{n} tags").size());
  }
}
