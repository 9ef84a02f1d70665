package dev.corpusforge.pipelines.decompose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corpusforge.annotators.decompose.DecomposeRule;
import dev.corpusforge.annotators.decompose.DocumentTokenizer;
import dev.corpusforge.core.Recipe;
import dev.corpusforge.core.Stage;
import dev.corpusforge.core.Tally;
import dev.corpusforge.core.read.ReadLimits;
import dev.corpusforge.core.testing.TestPipelineExtension;
import dev.corpusforge.pipelines.run.RunProgress;
import dev.corpusforge.schemas.Reject;
import dev.corpusforge.schemas.TextDocument;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tokenise-and-split stage as {@link DecomposePipeline} chains it: chunks of power-of-two
 * lengths covering each document from its start, the drops with their reasons, and the tokens
 * tallied so that every token read is in a chunk or dropped.
 */
@ExtendWith(TestPipelineExtension.class)
class SplitStageTest {
  TestPipeline p;
  @TempDir Path dir;

  static final DecomposeRule RULE = new DecomposeRule(2, 4, DecomposeRule.Split.RELEASED, false, 0);
  static final DocumentTokenizer.Spec TOKENIZER = new DocumentTokenizer.Spec("cl100k_base", null);
  static final String LONG =
      "Dataset decomposition cuts every document into chunks whose lengths are powers of two, so"
          + " that a batch holds sequences of one length and no attention crosses documents.";

  static TextDocument text(String id, String text) {
    return TextDocument.newBuilder()
        .setSampleId(id)
        .setSource("docs/" + id)
        .setDocumentId(id)
        .setText(text)
        .build();
  }

  static TextDocument file(String id, Path file) {
    return TextDocument.newBuilder()
        .setSampleId(id)
        .setSource(file.toString())
        .setDocumentId(id)
        .setFile(file.toString())
        .build();
  }

  @Test
  void chunksCoverEachDocumentAndEveryTokenIsCounted() throws Exception {
    Path badUtf8 = Files.write(dir.resolve("bad.txt"), new byte[] {'o', 'k', ' ', (byte) 0xC3});
    Path longFile = Files.writeString(dir.resolve("long.txt"), LONG);
    long longTokens;
    long oneToken;
    try (DocumentTokenizer t = TOKENIZER.open()) {
      longTokens = t.encode(LONG).length;
      oneToken = t.encode("a").length;
    }
    Recipe<TokenChunk> split =
        Recipe.read(
                p.apply(
                    "documents",
                    Create.of(
                            text("long", LONG),
                            file("long-file", longFile),
                            text("blank", "  \n "),
                            text("short", "a"),
                            file("bad-utf8", badUtf8),
                            file("missing", dir.resolve("missing.txt")))
                        .withCoder(AvroCoder.of(TextDocument.class))),
                p.apply("no read rejects", Create.empty(AvroCoder.of(Reject.class))),
                TextDocument::getSampleId)
            .then(
                "Tokenise and split",
                Stage.flat(
                    DecomposeReasons.SPLIT,
                    new SplitDocument(
                        RULE, TOKENIZER, 1 << 20, ReadLimits.DEFAULT.maxDecompressedBytes()),
                    SplitDocument.IDENTITY,
                    TokenChunk.Coder.INSTANCE));

    PAssert.that(split.kept())
        .satisfies(
            chunks -> {
              for (String doc : List.of("long", "long-file")) {
                List<TokenChunk> of = new ArrayList<>();
                for (TokenChunk c : chunks) {
                  if (c.documentSampleId().equals(doc)) {
                    of.add(c);
                  }
                }
                of.sort(Comparator.comparingLong(TokenChunk::offset));
                long next = 0;
                for (TokenChunk c : of) {
                  assertEquals(next, c.offset(), doc + ": chunks follow each other from 0");
                  assertEquals(1 << c.bucket(), c.length(), doc + ": a chunk fills its bucket");
                  assertTrue(c.bucket() >= 2 && c.bucket() <= 4, doc + ": bucket in range");
                  next += c.length();
                }
                assertTrue(
                    longTokens - next >= 0 && longTokens - next < 4,
                    doc + ": only a tail under the smallest chunk is left, " + next);
              }
              return null;
            });
    PAssert.that(
            split
                .rejects()
                .apply(
                    "reasons",
                    MapElements.into(TypeDescriptors.strings())
                        .via(
                            (Reject r) ->
                                r.getSampleId() + ":" + r.getStage() + "/" + r.getReason())))
        .containsInAnyOrder(
            "blank:split/empty_text",
            "short:split/too_short",
            "bad-utf8:split/invalid_encoding",
            "missing:split/file_unreadable");
    PAssert.thatSingleton(split.tallies().apply(Combine.globally(Tally.sum())))
        .satisfies(
            sum -> {
              DocumentTokens t = SplitDocument.tokens(sum);
              assertEquals(3, t.documents(), "two long documents and the short one tokenised");
              assertEquals(2 * longTokens + oneToken, t.tokensIn());
              assertEquals(oneToken, t.droppedTooShort());
              assertTrue(t.balanced(), t.toString());
              return null;
            });
    PipelineResult result = p.run();
    result.waitUntilFinish();
    // forge run's progress counts, read from the result as on the Direct runner: six inputs read
    assertEquals(6, RunProgress.fromResult(result).read());
  }
}
