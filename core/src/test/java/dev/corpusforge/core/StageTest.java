package dev.corpusforge.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corpusforge.core.testing.TestPipelineExtension;
import dev.corpusforge.schemas.ImageTextSample;
import dev.corpusforge.schemas.Reject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestPipelineExtension.class)
public class StageTest {
  TestPipeline p;

  static final RecordIdentity<ImageTextSample> IDENTITY =
      new RecordIdentity<>() {
        @Override
        public String sampleId(ImageTextSample record) {
          return record.getSampleId();
        }

        @Override
        public String source(ImageTextSample record) {
          return record.getSource();
        }
      };

  static ImageTextSample sample(String id, String caption) {
    return ImageTextSample.newBuilder()
        .setSampleId(id)
        .setSource("src/" + id)
        .setCaption(caption)
        .build();
  }

  /** Text records identified by themselves. */
  static final RecordIdentity<String> TEXT =
      new RecordIdentity<>() {
        @Override
        public String sampleId(String record) {
          return record;
        }

        @Override
        public String source(String record) {
          return "text:" + record;
        }
      };

  /** Splits a text into its words; drops an empty one; a word "boom" makes it fail. */
  static final class Words implements FlatStep<String, String> {
    @Override
    public Outcome<?> apply(String text, Consumer<String> out) {
      if (text.isBlank()) {
        return Outcome.drop("empty_text", "no words");
      }
      String[] words = text.split(" ");
      int boom = List.of(words).indexOf("boom");
      if (boom >= 0) {
        throw new IllegalArgumentException("boom after " + boom + " words");
      }
      for (String w : words) {
        out.accept(w);
      }
      return Outcome.emitted().counting(Tally.of("words", words.length));
    }
  }

  /** The length of a text, a record of another type; over 5 characters is a rule violation. */
  static final class Length implements Step<String, Integer> {
    @Override
    public Outcome<Integer> apply(String text) throws RuleViolation {
      if (text.length() > 5) {
        throw new RuleViolation("too_long", text.length() + " characters");
      }
      return Outcome.keep(text.length());
    }
  }

  @Test
  public void aFlatStepEmitsEveryOutputOfAKeptRecordAndNoneOfAFailedOne() {
    StepResult<String> out =
        p.apply(Create.of("a b c", " ", "x boom y").withCoder(StringUtf8Coder.of()))
            .apply(Stage.flat("words", new Words(), TEXT, StringUtf8Coder.of()));
    PAssert.that(out.kept()).containsInAnyOrder("a", "b", "c");
    PAssert.that(
            out.rejects()
                .apply(
                    "flat rejects",
                    MapElements.into(TypeDescriptors.strings())
                        .via(
                            (Reject r) ->
                                r.getSampleId()
                                    + ":"
                                    + r.getStage()
                                    + ":"
                                    + r.getReason()
                                    + ":"
                                    + r.getDetail()
                                    + ":"
                                    + r.getSource())))
        .containsInAnyOrder(
            " :words:empty_text:no words:text: ",
            "x boom y:words:error:IllegalArgumentException:boom after 1 words:text:x boom y");
    p.run().waitUntilFinish();
  }

  /** Words of a text; "slow" sleeps 4 s, "stuck" spins 2 s deaf to interrupts. */
  static final class SlowWords implements FlatStep<String, String> {
    @Override
    public Outcome<?> apply(String text, Consumer<String> out) throws Exception {
      if (text.contains("slow")) {
        Thread.sleep(4_000);
      }
      if (text.contains("stuck")) {
        long end = System.nanoTime() + 2_000_000_000L;
        while (System.nanoTime() < end) {
          Thread.onSpinWait();
        }
      }
      for (String w : text.split(" ")) {
        out.accept(w);
      }
      return Outcome.emitted();
    }
  }

  @Test
  public void aRecordOverItsStageTimeoutIsRejectedAndTheOthersGoOn() {
    p.getOptions().as(StageWatch.Options.class).setForgeStageTimeouts("other=0.01,words=1");
    StepResult<String> out =
        p.apply(
                Create.of("a b", "so slow", "c", "stuck here", "d e")
                    .withCoder(StringUtf8Coder.of()))
            .apply(Stage.flat("words", new SlowWords(), TEXT, StringUtf8Coder.of()));
    // nothing of a record that timed out, though its step may still emit after the timeout
    PAssert.that(out.kept()).containsInAnyOrder("a", "b", "c", "d", "e");
    PAssert.that(
            out.rejects()
                .apply(
                    "timeouts",
                    MapElements.into(TypeDescriptors.strings())
                        .via(
                            (Reject r) ->
                                r.getSampleId() + ":" + r.getReason() + ":" + r.getDetail())))
        .containsInAnyOrder(
            "so slow:words_timeout:over 1.0 s in words (--stage-timeout); the step was interrupted",
            "stuck here:words_timeout:over 1.0 s in words (--stage-timeout); the step was interrupted");
    p.run().waitUntilFinish();
  }

  @Test
  void stageTimeoutsAreReadForEveryStageOrPerStage() {
    assertEquals(java.util.Map.of("*", 60.0), StageWatch.parse("60"));
    assertEquals(java.util.Map.of("image", 30.0, "*", 120.0), StageWatch.parse("image=30, *=120"));
    assertTrue(StageWatch.parse(null).isEmpty());
    for (String bad : List.of("x", "image=", "image=0", "=3", "-1")) {
      org.junit.jupiter.api.Assertions.assertThrows(
          IllegalArgumentException.class, () -> StageWatch.parse(bad), bad);
    }
  }

  @Test
  public void aStepMayChangeTheRecordType() {
    StepResult<Integer> out =
        p.apply(Create.of("ab", "abcdefg").withCoder(StringUtf8Coder.of()))
            .apply(Stage.of("length", new Length(), TEXT, VarIntCoder.of()));
    PAssert.that(out.kept()).containsInAnyOrder(2);
    PAssert.that(
            out.rejects()
                .apply(
                    "typed rejects",
                    MapElements.into(TypeDescriptors.strings())
                        .via((Reject r) -> r.getSampleId() + ":" + r.getReason())))
        .containsInAnyOrder("abcdefg:too_long");
    p.run().waitUntilFinish();
  }

  /** Keeps "good", drops "bad" with a reason, throws on "boom", violates a rule on "rule". */
  static final class ExampleStep implements Step<ImageTextSample, ImageTextSample> {
    @Override
    public Outcome<ImageTextSample> apply(ImageTextSample s) throws Exception {
      switch (s.getCaption()) {
        case "good":
          return Outcome.keep(ImageTextSample.newBuilder(s).setLanguage("en").build());
        case "bad":
          return Outcome.drop("too_bad", "it was bad");
        case "rule":
          throw new RuleViolation("broke_rule", "rule detail");
        default:
          throw new IllegalStateException("boom " + s.getSampleId());
      }
    }
  }

  @Test
  public void routesKeptDroppedAndFailedRecords() {
    StepResult<ImageTextSample> out =
        p.apply(
                Create.of(
                        sample("1", "good"),
                        sample("2", "bad"),
                        sample("3", "boom"),
                        sample("4", "rule"))
                    .withCoder(AvroCoder.of(ImageTextSample.class)))
            .apply(Stage.of("example", new ExampleStep(), IDENTITY));
    PAssert.that(
            out.kept()
                .apply(
                    "kept ids",
                    MapElements.into(TypeDescriptors.strings())
                        .via(s -> s.getSampleId() + ":" + s.getLanguage())))
        .containsInAnyOrder("1:en");
    PAssert.that(
            out.rejects()
                .apply(
                    "reject rows",
                    MapElements.into(TypeDescriptors.strings())
                        .via(
                            (Reject r) ->
                                r.getSampleId()
                                    + ":"
                                    + r.getStage()
                                    + ":"
                                    + r.getReason()
                                    + ":"
                                    + r.getDetail())))
        .containsInAnyOrder(
            "2:example:too_bad:it was bad",
            "3:example:error:IllegalStateException:boom 3",
            "4:example:broke_rule:rule detail");
    p.run().waitUntilFinish();
  }

  @Test
  public void longDetailsAreShortened() {
    Reject r = Rejects.of("id", "src", "s", "r", "x".repeat(5000));
    assertEquals(Rejects.MAX_DETAIL_CHARS + 1, r.getDetail().length());
  }

  /** Counts the letters of a text, kept or dropped (a text over 5 characters is dropped). */
  static final class CountedLength implements Step<String, String> {
    @Override
    public Outcome<String> apply(String text) {
      Tally counted = Tally.of("letters", text.length()).add("texts", 1);
      return text.length() > 5
          ? Outcome.<String>drop("too_long", null).counting(counted)
          : Outcome.keep(text).counting(counted);
    }
  }

  @Test
  void talliesOfKeptAndDroppedRecordsReachTheRecipe() {
    Recipe<String> recipe =
        Recipe.read(
                p.apply("texts", Create.of("ab", "abcdefg", "xyz").withCoder(StringUtf8Coder.of())),
                p.apply("no read rejects", Create.empty(AvroCoder.of(Reject.class))),
                t -> t)
            .then("Count", Stage.of("count", new CountedLength(), TEXT));
    PAssert.that(recipe.kept()).containsInAnyOrder("ab", "xyz");
    PAssert.thatSingleton(recipe.tallies().apply(Combine.globally(Tally.sum())))
        .isEqualTo(Tally.of("letters", 12).add("texts", 3));
    PAssert.that(recipe.inputIds()).containsInAnyOrder("ab", "abcdefg", "xyz");
    PAssert.that(
            recipe
                .rejects()
                .apply(
                    "recipe rejects",
                    MapElements.into(TypeDescriptors.strings())
                        .via(
                            (Reject r) ->
                                r.getSampleId() + ":" + r.getStage() + ":" + r.getReason())))
        .containsInAnyOrder("abcdefg:count:too_long");
    p.run().waitUntilFinish();
  }

  /** Keeps a word found in the shared dictionary, as its length; drops the others. */
  static final class Lookup implements SideStep<List<String>, String, Integer> {
    @Override
    public Outcome<Integer> apply(String word, List<String> dictionary) {
      return dictionary.contains(word)
          ? Outcome.keep(word.length())
          : Outcome.drop("unknown_word", word);
    }
  }

  @Test
  void aStepReadsTheValueSharedByEveryRecord() {
    PCollectionView<List<String>> dictionary =
        p.apply("dictionary", Create.of("red", "green", "blue").withCoder(StringUtf8Coder.of()))
            .apply(View.asList());
    Recipe<Integer> recipe =
        Recipe.read(
                p.apply("words", Create.of("blue", "cyan", "red").withCoder(StringUtf8Coder.of())),
                p.apply("no read rejects", Create.empty(AvroCoder.of(Reject.class))),
                t -> t)
            .then(
                "Look up",
                Stage.withShared("lookup", dictionary, new Lookup(), TEXT, VarIntCoder.of()));
    PAssert.that(recipe.kept()).containsInAnyOrder(4, 3);
    PAssert.that(
            recipe
                .rejects()
                .apply(
                    "lookup rejects",
                    MapElements.into(TypeDescriptors.strings())
                        .via((Reject r) -> r.getSampleId() + ":" + r.getReason())))
        .containsInAnyOrder("cyan:unknown_word");
    p.run().waitUntilFinish();
  }

  /** Keeps a length under four; four is too long; five throws. */
  static final class CheckLength implements SideStep<List<String>, Integer, Integer> {
    @Override
    public Outcome<Integer> apply(Integer length, List<String> dictionary) {
      if (length == 5) {
        throw new IllegalStateException("five");
      }
      return length < 4 ? Outcome.keep(length) : Outcome.drop("too_long", "" + length);
    }
  }

  static final RecordIdentity<Integer> LENGTH = RecordIdentity.of(n -> "len" + n, n -> "n");

  /**
   * Two stages reading one shared value run as one transform (one copy of the value per worker):
   * each keeps its own stage name in its rejects, its error policy and its node's counters.
   */
  @Test
  void stagesReadingOneSharedValueRunAsOneTransform() {
    PCollectionView<List<String>> dictionary =
        p.apply("dictionary", Create.of("red", "green", "blue").withCoder(StringUtf8Coder.of()))
            .apply(View.asList());
    Recipe<Integer> recipe =
        Recipe.read(
                p.apply(
                    "words",
                    Create.of("blue", "cyan", "red", "green").withCoder(StringUtf8Coder.of())),
                p.apply("no read rejects", Create.empty(AvroCoder.of(Reject.class))),
                t -> t)
            .then(
                "Look up",
                Stage.withShared("lookup", dictionary, new Lookup(), TEXT, VarIntCoder.of()))
            .then(
                "Check length",
                Stage.withShared(
                    "length", dictionary, new CheckLength(), LENGTH, VarIntCoder.of()));
    PAssert.that(recipe.kept()).containsInAnyOrder(3);
    PAssert.that(
            recipe
                .rejects()
                .apply(
                    "shared rejects",
                    MapElements.into(TypeDescriptors.strings())
                        .via(
                            (Reject r) ->
                                r.getStage() + ":" + r.getSampleId() + ":" + r.getReason())))
        .containsInAnyOrder(
            "lookup:cyan:unknown_word",
            "length:len4:too_long",
            "length:len5:error:IllegalStateException");

    List<String> transforms = new ArrayList<>();
    p.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public CompositeBehavior enterCompositeTransform(TransformHierarchy.Node node) {
            transforms.add(node.getFullName());
            return CompositeBehavior.ENTER_TRANSFORM;
          }
        });
    assertTrue(transforms.contains("Look up + Check length"), transforms::toString);
    assertFalse(
        transforms.contains("Look up") || transforms.contains("Check length"),
        transforms::toString);

    PipelineResult result = p.run();
    result.waitUntilFinish();
    assertEquals(3, BatchedTest.counter(result, "Look up", "kept"));
    assertEquals(1, BatchedTest.counter(result, "Check length", "kept"));
    assertEquals(2, BatchedTest.counter(result, "Check length", "rejected"));
  }
}
