package dev.corpusforge.pipelines.som;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class MarkQuestionsTest {
  private static final List<String> LABELS = List.of("cat", "dog", "Cat", "bird", "dog", "dog");

  private static final MarkQuestions ALL =
      new MarkQuestions(
          MarkQuestions.parse(
              "# a comment\n"
                  + "what_is | Tag {n}? | {label}\n"
                  + "which | Tags of {label}? | {tags}\n"
                  + "how_many | Count of {label}? | {count}\n"),
          100);

  @Test
  void everyAnswerFollowsFromTheLabels() {
    List<MarkQuestions.Turn> turns = ALL.ask(0, "s1", LABELS);
    // 6 tags + 3 distinct labels (case folded) for each of which and how_many
    assertEquals(6 + 3 + 3, turns.size());
    Set<String> kinds = new HashSet<>();
    for (MarkQuestions.Turn t : turns) {
      Matcher tag = Pattern.compile("Tag (\\d+)\\?").matcher(t.question());
      Matcher tags = Pattern.compile("Tags of (.+)\\?").matcher(t.question());
      Matcher count = Pattern.compile("Count of (.+)\\?").matcher(t.question());
      if (tag.matches()) {
        kinds.add("what_is");
        assertEquals(LABELS.get(Integer.parseInt(tag.group(1)) - 1), t.answer());
      } else if (tags.matches()) {
        kinds.add("which");
        StringBuilder want = new StringBuilder();
        for (int i = 0; i < LABELS.size(); i++) {
          if (LABELS.get(i).equalsIgnoreCase(tags.group(1))) {
            want.append(want.length() == 0 ? "" : ", ").append(i + 1);
          }
        }
        assertEquals(want.toString(), t.answer(), t.question());
      } else {
        assertTrue(count.matches(), t.question());
        kinds.add("how_many");
        long want = LABELS.stream().filter(l -> l.equalsIgnoreCase(count.group(1))).count();
        assertEquals(Long.toString(want), t.answer(), t.question());
      }
    }
    assertEquals(Set.of("what_is", "which", "how_many"), kinds);
  }

  @Test
  void theChoiceIsSeededPerSampleWithoutRepeats() {
    MarkQuestions three = new MarkQuestions(ALL.templates(), 3);
    List<MarkQuestions.Turn> a = three.ask(7, "s1", LABELS);
    assertEquals(3, a.size());
    assertEquals(a, three.ask(7, "s1", LABELS), "the same run asks the same questions");
    assertEquals(3, new HashSet<>(a.stream().map(MarkQuestions.Turn::question).toList()).size());
    boolean differs = false;
    for (int i = 0; i < 10 && !differs; i++) {
      differs = !a.equals(three.ask(7, "other" + i, LABELS));
    }
    assertTrue(differs, "other samples draw other questions");
    assertNotEquals(ALL.ask(1, "s1", LABELS), ALL.ask(2, "s1", LABELS), "the run seed reorders");
  }

  @Test
  void theRecordIsLlavaMultiTurnWithTheImageFirst() throws Exception {
    JsonNode r =
        new ObjectMapper()
            .readTree(
                LlavaExport.record(
                    "abc", MarkQuestions.defaults(2).ask(0, "abc", List.of("cat", "dog"))));
    assertEquals("abc", r.path("id").asText());
    assertEquals(LlavaExport.imagePath("abc"), r.path("image").asText());
    JsonNode c = r.path("conversations");
    assertEquals(4, c.size());
    assertEquals("human", c.get(0).path("from").asText());
    assertTrue(c.get(0).path("value").asText().startsWith("<image>\n"));
    assertEquals("gpt", c.get(1).path("from").asText());
    assertEquals("human", c.get(2).path("from").asText());
    assertTrue(!c.get(2).path("value").asText().contains("<image>"), "one image token");
  }

  @Test
  void badTemplatesAreRefusedWithTheirLine() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> MarkQuestions.parse("what_is | Tag? | {label}"));
    assertTrue(e.getMessage().contains("line 1"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> MarkQuestions.parse("why | {n} | x"));
    assertThrows(IllegalArgumentException.class, () -> MarkQuestions.parse("which | {label}"));
  }
}
