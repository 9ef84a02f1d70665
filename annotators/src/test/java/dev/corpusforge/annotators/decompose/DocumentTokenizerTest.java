package dev.corpusforge.annotators.decompose;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocumentTokenizerTest {
  @TempDir Path tmp;

  @Test
  void bundledBpeEncodingsAppendTheirEndOfText() throws Exception {
    try (DocumentTokenizer t = new DocumentTokenizer.Spec("cl100k_base", null).open()) {
      // tiktoken's cl100k_base: "hello world" = [15339, 1917], <|endoftext|> = 100257
      assertArrayEquals(new int[] {15339, 1917, 100257}, t.encode("hello world"));
      // special-token text in a document is ordinary text, never a second end-of-text
      int[] ids = t.encode("a <|endoftext|> b");
      assertEquals(1, java.util.Arrays.stream(ids).filter(i -> i == 100257).count());
      assertArrayEquals(new int[] {100257}, t.encode(""));
    }
    try (DocumentTokenizer t = new DocumentTokenizer.Spec("o200k_base", 7).open()) {
      int[] ids = t.encode("hello world");
      assertEquals(7, ids[ids.length - 1]);
    }
  }

  /** A WordLevel tokenizer.json written here, with an added special token. */
  private Path wordLevel(String specialToken) throws Exception {
    Path file = tmp.resolve("tokenizer-" + specialToken.replaceAll("\\W", "") + ".json");
    Files.writeString(
        file,
        """
        {"version": "1.0", "truncation": null, "padding": null,
         "added_tokens": [{"id": 0, "content": "[UNK]", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
                          {"id": 1, "content": "%s", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true}],
         "normalizer": {"type": "Lowercase"}, "pre_tokenizer": {"type": "Whitespace"}, "post_processor": null, "decoder": null,
         "model": {"type": "WordLevel", "vocab": {"[UNK]": 0, "%s": 1, "the": 2, "kernel": 3, "boots": 4}, "unk_token": "[UNK]"}}
        """
            .formatted(specialToken, specialToken));
    return file;
  }

  @Test
  void aHuggingFaceTokenizerJsonByPathFindsItsEndOfText() throws Exception {
    try (DocumentTokenizer t =
        new DocumentTokenizer.Spec(wordLevel("</s>").toString(), null).open()) {
      assertEquals(1, t.endOfText());
      assertArrayEquals(new int[] {2, 3, 4, 0, 1}, t.encode("The kernel boots fast"));
    }
    Path noEot = wordLevel("<pad>");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new DocumentTokenizer.Spec(noEot.toString(), null).open());
    assertTrue(e.getMessage().contains("--eot-id"), e.getMessage());
    try (DocumentTokenizer t = new DocumentTokenizer.Spec(noEot.toString(), 1).open()) {
      assertEquals(1, t.endOfText());
    }
    assertThrows(
        IllegalArgumentException.class,
        () -> new DocumentTokenizer.Spec("gpt-neox-20b", null).open());
  }
}
