package dev.corpusforge.filters.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corpusforge.core.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

class QualityRulesTest {
  private static final GopherQuality GOPHER = new GopherQuality(GopherQuality.Settings.DEFAULTS);
  private static final GopherRepetition REPETITION =
      new GopherRepetition(GopherRepetition.Settings.DEFAULTS);
  private static final C4Quality C4 = new C4Quality(C4Quality.Settings.DEFAULTS);

  /** Ordinary English prose, varied enough to pass every rule. */
  private static final String PROSE =
      String.join(
          "\n",
          "The scheduler decides which task runs next on each processor of the machine.",
          "It keeps a queue of runnable tasks and picks the one that has waited the longest.",
          "When a task blocks on input, the scheduler moves it to a wait list until data arrives.",
          "Priorities change with behaviour, so that interactive programs stay responsive.",
          "Load balancing moves tasks between processors when one of them is idle.",
          "Each of these decisions is cheap, and that is what makes the design scale.",
          "Real-time tasks have their own class with fixed priorities and strict deadlines.",
          "Administrators can tune the time slice and the migration cost with sysctl settings.");

  @Test
  void ordinaryProsePassesEveryRule() {
    assertTrue(GOPHER.check(PROSE).kept(), GOPHER.check(PROSE).toString());
    assertTrue(REPETITION.check(PROSE).kept(), REPETITION.check(PROSE).toString());
    C4Quality.Result c4 = C4.check(PROSE);
    assertTrue(c4.kept(), c4.toString());
    assertEquals(PROSE, c4.text());
  }

  @Test
  void eachGopherRuleNamesItselfAsDataTroveDoes() {
    assertEquals("gopher_short_doc", GOPHER.check("word").reason());
    assertEquals("gopher_short_doc", GOPHER.check("x".repeat(20_000)).reason());
    assertEquals("gopher_short_doc", GOPHER.check("").reason());
    assertEquals("gopher_below_avg_threshold", GOPHER.check("a b c d e ".repeat(20)).reason());
    assertEquals(
        "gopher_above_avg_threshold", GOPHER.check("extraordinarily ".repeat(60)).reason());
    assertEquals("gopher_too_many_hashes", GOPHER.check(PROSE + " #tag #tag".repeat(30)).reason());
    assertEquals(
        "gopher_too_many_ellipsis", GOPHER.check(PROSE + " and then...".repeat(30)).reason());
    String bullets = ("• the task runs on a processor with the others\n").repeat(20);
    assertEquals("gopher_too_many_bullets", GOPHER.check(bullets).reason());
    String ellipses = ("the task runs on a processor with the others …\n").repeat(20);
    assertEquals("gopher_too_many_end_ellipsis", GOPHER.check(ellipses).reason());
    String numbers = PROSE + " 1234 5678 9012".repeat(60);
    assertEquals("gopher_below_alpha_threshold", GOPHER.check(numbers).reason());
    String noStop = "Scheduler picks runnable tasks quickly ".repeat(15);
    assertEquals("gopher_enough_stop_words", GOPHER.check(noStop).reason());
    GopherQuality off = new GopherQuality(new GopherQuality.Settings(0, 0, 0, 0, 0, 0, 0, 0, 0));
    assertTrue(off.check(noStop).kept(), "every rule off");
  }

  @Test
  void repetitionRulesCatchCopiedLinesParagraphsAndNGrams() {
    assertEquals(
        "dup_para_frac",
        REPETITION
            .check(String.join("\n\n", List.of("a b c", "a b c", "a b c", "d e f")))
            .reason());
    String lines = "one line of text here\n".repeat(5) + "something else entirely different here\n";
    Verdict v = REPETITION.check(lines);
    assertTrue(v.reason().startsWith("dup_"), v.toString());
    assertEquals("top_2_gram", REPETITION.check(PROSE + " click here".repeat(120)).reason());
    String looped =
        "the quick brown fox jumps over the lazy dog while the cat watches from the wall ";
    assertTrue(
        REPETITION.check(PROSE + "\n" + looped.repeat(4)).reason().startsWith("duplicated_"),
        REPETITION.check(PROSE + "\n" + looped.repeat(4)).toString());
  }

  /**
   * A reStructuredText page: paragraphs separated by blank lines and titles underlined, which
   * counted blank lines as duplicate lines and every '=' as a word would read as repetition.
   */
  @Test
  void blankLinesAndUnderlinesAreNoRepetition() {
    String rst =
        String.join(
            "\n",
            "Scheduler",
            "=========",
            "",
            "The scheduler decides which task runs next on each processor of the machine.",
            "",
            "Queues",
            "------",
            "",
            "It keeps a queue of runnable tasks and picks the one that has waited the longest.",
            "",
            "Balancing",
            "---------",
            "",
            "Load balancing moves tasks between processors when one of them is idle.",
            "");
    assertTrue(REPETITION.check(rst).kept(), REPETITION.check(rst).toString());
  }

  @Test
  void c4DropsPagesAndLinesByItsRules() {
    assertEquals(
        "lorem_ipsum", C4.check(PROSE + "\nLorem ipsum dolor sit amet, it says.").reason());
    assertEquals("curly_bracket", C4.check(PROSE + "\nThe block is { x = 1 } in C code.").reason());
    assertEquals("too_few_sentences", C4.check("One short line.\nAnother one here.").reason());
    C4Quality.Result trimmed =
        C4.check(PROSE + "\nPlease enable JavaScript to view this page.\nMenu\nHome | About");
    assertTrue(trimmed.kept(), trimmed.toString());
    assertEquals(PROSE, trimmed.text(), "the javascript line and the lines without punctuation go");
    assertEquals(3, trimmed.linesRemoved());
    assertNull(C4.check("").text());
  }
}
