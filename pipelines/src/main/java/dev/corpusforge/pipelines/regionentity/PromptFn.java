package dev.corpusforge.pipelines.regionentity;

import dev.corpusforge.core.Rejects;
import dev.corpusforge.pipelines.llm.ChatClient;
import dev.corpusforge.pipelines.llm.LlmConfig;
import dev.corpusforge.schemas.Reject;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Gives each row its {@code text_prompt} and split ({@link PromptRule}). With an LLM configured, a
 * query-split row's question is rewritten into a referring phrase, one request at a time per worker
 * thread; a failed request is a reject with the client's reason ({@code llm_timeout}, {@code
 * llm_http_<code>}, …), answers are cached as in graph-summary. An empty prompt is the reject
 * {@code prompt_empty}.
 */
final class PromptFn extends DoFn<RegionRow, RegionRow> {
  static final String PROMPT_EMPTY = "prompt_empty";
  static final String ENTITY = "entity";
  static final String QUERY = "query";

  private final PromptRule rule;
  private final LlmConfig llm;
  private final TupleTag<RegionRow> rowTag;
  private final TupleTag<Reject> rejectTag;
  private transient ChatClient client;

  PromptFn(PromptRule rule, LlmConfig llm, TupleTag<RegionRow> rowTag, TupleTag<Reject> rejectTag) {
    this.rule = rule;
    this.llm = llm;
    this.rowTag = rowTag;
    this.rejectTag = rejectTag;
  }

  @Setup
  public void setup() {
    if (llm != null) {
      client = new ChatClient(llm);
    }
  }

  @ProcessElement
  public void process(@Element RegionRow row, MultiOutputReceiver out) {
    String split = row.question() == null ? ENTITY : QUERY;
    String prompt;
    if (split.equals(ENTITY)) {
      prompt = rule.entityPrompt(row);
    } else if (client == null) {
      prompt = rule.queryPrompt(row);
    } else {
      ChatClient.Answer answer = client.ask(PromptRule.rewriteInstruction(row));
      if (answer.reason() != null) {
        out.get(rejectTag)
            .output(
                Rejects.of(
                    row.sampleId(),
                    row.source(),
                    RegionReasons.PROMPT,
                    answer.reason(),
                    answer.detail()));
        return;
      }
      prompt = phrase(answer.text());
    }
    if (prompt.isBlank()) {
      out.get(rejectTag)
          .output(
              Rejects.of(
                  row.sampleId(),
                  row.source(),
                  RegionReasons.PROMPT,
                  PROMPT_EMPTY,
                  "the " + split + " template gave an empty prompt"));
      return;
    }
    out.get(rowTag).output(row.withPrompt(split, prompt));
  }

  /** The first line of an answer, without surrounding quotes or a trailing full stop. */
  static String phrase(String answer) {
    String line = answer.strip().lines().findFirst().orElse("").strip();
    line = line.replaceAll("^[\"'“”‘’]+|[\"'“”‘’]+$", "").strip();
    return line.endsWith(".") ? line.substring(0, line.length() - 1).strip() : line;
  }

  @Teardown
  public void teardown() {
    if (client != null) {
      client.close();
    }
  }
}
