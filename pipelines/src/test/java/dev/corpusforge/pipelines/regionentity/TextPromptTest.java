package dev.corpusforge.pipelines.regionentity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.corpusforge.core.Stage;
import dev.corpusforge.core.StepResult;
import dev.corpusforge.core.testing.TestPipelineExtension;
import dev.corpusforge.pipelines.llm.LlmConfig;
import dev.corpusforge.schemas.Reject;
import java.net.InetAddress;
import java.util.List;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Text prompts: entity-split templates, and query-split rewriting by a chat-completions server on
 * 127.0.0.1.
 */
@ExtendWith(TestPipelineExtension.class)
public class TextPromptTest {
  TestPipeline p;
  private MockWebServer server;

  @BeforeEach
  public void start() throws Exception {
    server = new MockWebServer();
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            String body = request.getBody().readUtf8();
            if (body.contains("wearing in her hair")) {
              return new MockResponse()
                  .setHeader("Content-Type", "application/json")
                  .setBody(
                      "{\"choices\": [{\"message\": {\"content\": \"\\\"the object in the girl's hair.\\\"\\nIt is a scrunchie.\"}}]}");
            }
            if (body.contains("garbage")) {
              return new MockResponse().setBody("<html>not json</html>");
            }
            return new MockResponse().setResponseCode(500);
          }
        });
    server.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  public void stop() throws Exception {
    server.shutdown();
  }

  private static RegionRow row(String id, String name, String type, String question) {
    return new RegionRow(
        id, "rows.jsonl#" + id, "a.jpg", "/a.jpg", "Q" + id, name, type, question, null, null);
  }

  @Test
  public void entityTemplatesAndRewrittenQuestions() {
    LlmConfig llm =
        new LlmConfig(
            server.url("/v1").toString(),
            "test-model",
            "NO_SUCH_KEY_VARIABLE",
            0.0,
            1.0,
            64,
            1,
            5000,
            1,
            10,
            null);
    StepResult<RegionRow> out =
        p.apply(
                Create.of(
                        List.of(
                            row("1", "Scrunchie", "hair tie", null),
                            row(
                                "2",
                                "Scrunchie",
                                "hair tie",
                                "What is the girl wearing in her hair?"),
                            row("3", "Teapot", null, "What is on the table? 500 please"),
                            row("4", "Teapot", null, "garbage"),
                            row("5", "Teapot", null, null)))
                    .withCoder(SerializableCoder.of(RegionRow.class)))
            .apply(
                Stage.of(
                    "prompt",
                    new AnnotateSteps.TextPrompt(new PromptRule("{type} {name}", "{name}"), llm),
                    AnnotateSteps.ROW_IDENTITY));
    PAssert.that(
            out.kept()
                .apply(
                    "Prompts",
                    MapElements.into(TypeDescriptors.strings())
                        .via(
                            (RegionRow r) ->
                                r.sampleId() + " " + r.split() + ": " + r.textPrompt())))
        .containsInAnyOrder(
            "1 entity: hair tie Scrunchie",
            "2 query: the object in the girl's hair",
            "5 entity: Teapot");
    PAssert.that(
            out.rejects()
                .apply(
                    "Reasons",
                    MapElements.into(TypeDescriptors.strings())
                        .via(
                            (Reject r) ->
                                r.getSampleId() + " " + r.getStage() + "/" + r.getReason())))
        .containsInAnyOrder("3 prompt/llm_http_500", "4 prompt/llm_bad_response");
    p.run().waitUntilFinish();
  }

  @Test
  public void anEmptyPromptIsAReject() {
    assertEquals("", PromptRule.fill("{type}", row("6", "Teapot", null, null)));
    assertEquals(
        "the object in her hair",
        AnnotateSteps.TextPrompt.phrase("“the object in her hair.”\nmore"));
    StepResult<RegionRow> out =
        p.apply(
                Create.of(List.of(row("6", "Teapot", null, null), row("7", "Teapot", "pot", null)))
                    .withCoder(SerializableCoder.of(RegionRow.class)))
            .apply(
                Stage.of(
                    "prompt",
                    new AnnotateSteps.TextPrompt(new PromptRule("{type}", "{name}"), null),
                    AnnotateSteps.ROW_IDENTITY));
    PAssert.that(
            out.kept()
                .apply(
                    "Prompts",
                    MapElements.into(TypeDescriptors.strings())
                        .via((RegionRow r) -> r.sampleId() + ": " + r.textPrompt())))
        .containsInAnyOrder("7: pot");
    PAssert.that(
            out.rejects()
                .apply(
                    "Reasons",
                    MapElements.into(TypeDescriptors.strings())
                        .via(
                            (Reject r) ->
                                r.getSampleId() + " " + r.getStage() + "/" + r.getReason())))
        .containsInAnyOrder("6 prompt/" + AnnotateSteps.TextPrompt.PROMPT_EMPTY);
    p.run().waitUntilFinish();
  }
}
