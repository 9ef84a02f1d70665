package dev.corpusforge.pipelines.regionentity;

import dev.corpusforge.annotators.region.Annotation;
import dev.corpusforge.annotators.region.BinaryMask;
import dev.corpusforge.annotators.region.CocoRle;
import dev.corpusforge.annotators.region.DetectorAnnotator;
import dev.corpusforge.annotators.region.DetectorBundle;
import dev.corpusforge.annotators.region.DualEncoderRegionScorer;
import dev.corpusforge.annotators.region.ProposalAnnotator;
import dev.corpusforge.annotators.region.RegionAnnotator;
import dev.corpusforge.annotators.region.RegionScorer;
import dev.corpusforge.annotators.region.SimilarityAnnotator;
import dev.corpusforge.core.BatchStep;
import dev.corpusforge.core.Outcome;
import dev.corpusforge.core.RecordIdentity;
import dev.corpusforge.core.Rejects;
import dev.corpusforge.core.Step;
import dev.corpusforge.core.cache.CacheSpec;
import dev.corpusforge.filters.image.RgbImage;
import dev.corpusforge.pipelines.fetch.LoadImageStep;
import dev.corpusforge.pipelines.llm.ChatClient;
import dev.corpusforge.pipelines.llm.LlmConfig;
import dev.corpusforge.schemas.AnnotatorScore;
import dev.corpusforge.schemas.CocoRleMask;
import dev.corpusforge.schemas.RegionEntitySample;
import dev.corpusforge.scorers.MiniLmBundle;
import dev.corpusforge.scorers.SharedBundles;
import java.util.ArrayList;
import java.util.List;

/**
 * The steps of reverse annotation (CORPORA.md §2), one per stage of {@link RegionEntityPipeline}:
 * the text prompt, the image, each annotator's mask, the agreement rule's verdict (with the ground
 * truth's match), and the kept sample.
 */
final class AnnotateSteps {
  private AnnotateSteps() {}

  static final RecordIdentity<RegionRow> ROW_IDENTITY =
      RecordIdentity.of(RegionRow::sampleId, RegionRow::source);

  /**
   * The text prompt: the entity split's template, or the query split's question (rewritten into a
   * phrase by the chat model when one is given); an empty prompt is {@code prompt_empty}.
   */
  static final class TextPrompt implements Step<RegionRow, RegionRow> {
    static final String PROMPT_EMPTY = "prompt_empty";
    static final String ENTITY = "entity";
    static final String QUERY = "query";

    private final PromptRule rule;
    private final LlmConfig llm;
    private transient ChatClient client;

    TextPrompt(PromptRule rule, LlmConfig llm) {
      this.rule = rule;
      this.llm = llm;
    }

    @Override
    public void setup() {
      if (llm != null) {
        client = new ChatClient(llm);
      }
    }

    @Override
    public Outcome<RegionRow> apply(RegionRow row) {
      String split = row.question() == null ? ENTITY : QUERY;
      String prompt;
      if (split.equals(ENTITY)) {
        prompt = rule.entityPrompt(row);
      } else if (client == null) {
        prompt = rule.queryPrompt(row);
      } else {
        ChatClient.Answer answer = client.ask(PromptRule.rewriteInstruction(row));
        if (answer.reason() != null) {
          return Outcome.drop(answer.reason(), answer.detail());
        }
        prompt = phrase(answer.text());
      }
      if (prompt.isBlank()) {
        return Outcome.drop(PROMPT_EMPTY, "the " + split + " template gave an empty prompt");
      }
      return Outcome.keep(row.withPrompt(split, prompt));
    }

    /** The first line of an answer, without surrounding quotes or a trailing full stop. */
    static String phrase(String answer) {
      String line = answer.strip().lines().findFirst().orElse("").strip();
      line = line.replaceAll("^[\"'“”‘’]+|[\"'“”‘’]+$", "").strip();
      return line.endsWith(".") ? line.substring(0, line.length() - 1).strip() : line;
    }

    @Override
    public void teardown() {
      if (client != null) {
        client.close();
      }
    }
  }

  /** Loads the row's image ({@link LoadImageStep}). */
  static LoadImageStep<RegionRow, Annotating> loadImage(
      RegionEntityConfig config, CacheSpec cache) {
    return new LoadImageStep<>(
        config.imageRules(),
        config.fetch(),
        cache,
        RegionRow::location,
        (row, rgb) -> Annotating.loaded(row, new RgbImage(rgb)));
  }

  /** Rows per annotator call: each holds a decoded image, so batches stay small. */
  static final int ANNOTATE_BATCH = 4;

  /**
   * One annotator's masks for a batch of rows' text prompts ({@link RegionAnnotator#annotateAll}).
   * A row the annotator fails on alone is {@code error:<ExceptionClass>}, the annotator named in
   * the detail.
   */
  static final class Annotate implements BatchStep<Annotating, Annotating> {
    private final String name;
    private final RegionEntityConfig config;
    private final CacheSpec cacheSpec;
    private transient RegionScorer scorer;
    private transient RegionAnnotator annotator;
    private transient AnnotationCache cache;

    Annotate(String name, RegionEntityConfig config, CacheSpec cacheSpec) {
      this.name = name;
      this.config = config;
      this.cacheSpec = cacheSpec;
    }

    @Override
    public void setup() throws Exception {
      annotator =
          switch (name) {
            case SimilarityAnnotator.NAME ->
                new SimilarityAnnotator(scorer = dualEncoder(), config.similarity());
            case ProposalAnnotator.NAME ->
                new ProposalAnnotator(scorer = dualEncoder(), config.proposals());
            default ->
                new DetectorAnnotator(
                    DetectorBundle.shared(
                        config.detectorBundle(), config.device(), config.threads()),
                    config.detector());
          };
      cache = AnnotationCache.open(cacheSpec, name, config);
    }

    private RegionScorer dualEncoder() throws java.io.IOException {
      return new DualEncoderRegionScorer(
          SharedBundles.get(
              MiniLmBundle.resolve(config.model()), config.device(), config.threads()));
    }

    @Override
    public List<Outcome<Annotating>> apply(List<Annotating> batch) throws Exception {
      Annotation[] answers = new Annotation[batch.size()];
      String[] keys = new String[batch.size()];
      List<Integer> missing = new ArrayList<>();
      for (int i = 0; i < batch.size(); i++) {
        Annotating a = batch.get(i);
        if (cache != null) {
          keys[i] = cache.key(a.image(), a.row().textPrompt());
          answers[i] = cache.get(keys[i]);
        }
        if (answers[i] == null) {
          missing.add(i);
        }
      }
      if (!missing.isEmpty()) {
        List<Annotation> computed =
            annotator.annotateAll(
                missing.stream().map(i -> batch.get(i).image().image()).toList(),
                missing.stream().map(i -> batch.get(i).row().textPrompt()).toList());
        for (int j = 0; j < missing.size(); j++) {
          int i = missing.get(j);
          answers[i] = computed.get(j);
          if (cache != null) {
            cache.put(keys[i], answers[i]);
          }
        }
      }
      if (cache != null) {
        cache.report();
      }
      List<Outcome<Annotating>> out = new ArrayList<>(batch.size());
      for (int i = 0; i < batch.size(); i++) {
        out.add(Outcome.keep(batch.get(i).withAnswer(answers[i])));
      }
      return out;
    }

    @Override
    public Outcome<Annotating> failedAlone(Annotating a, Throwable e) {
      return Outcome.drop(Rejects.errorReason(e), "annotator " + name + ": " + e.getMessage());
    }

    @Override
    public void teardown() {
      if (annotator instanceof DetectorAnnotator d) {
        d.close();
      }
      if (scorer != null) {
        scorer.close();
      }
    }
  }

  /** The agreement rule's verdict on the answers, and the ground truth's match if there is one. */
  static final class Judge implements Step<Annotating, Annotating> {
    private final RegionEntityConfig config;
    private transient GroundTruth groundTruth;

    Judge(RegionEntityConfig config) {
      this.config = config;
    }

    @Override
    public void setup() throws Exception {
      if (config.groundTruth() != null) {
        groundTruth = GroundTruth.shared(config.groundTruth());
      }
    }

    @Override
    public Outcome<Annotating> apply(Annotating a) {
      return Outcome.keep(
          a.judged(
              config.agreement().judge(a.answers()),
              groundTruth == null ? null : groundTruth.find(a.row())));
    }
  }

  /** A row the annotators agree on is a sample; the others are rejects with the rule's reason. */
  static final class KeepAgreed implements Step<Annotating, RegionEntitySample> {
    @Override
    public Outcome<RegionEntitySample> apply(Annotating a) {
      if (!a.verdict().kept()) {
        return Outcome.drop(a.verdict().reason(), a.verdict().detail());
      }
      RegionRow row = a.row();
      BinaryMask mask = a.verdict().mask();
      CocoRle.Rle rle = CocoRle.encode(mask);
      int[] box = mask.bbox();
      Double gtIou = a.gtIou();
      return Outcome.keep(
          RegionEntitySample.newBuilder()
              .setSampleId(row.sampleId())
              .setSource(row.source())
              .setImage(row.location())
              .setWidth(a.image().image().getWidth())
              .setHeight(a.image().image().getHeight())
              .setEntityId(row.entityId())
              .setEntityName(row.entityName())
              .setEntityType(row.entityType())
              .setQuestion(row.question())
              .setSplit(row.split())
              .setTextPrompt(row.textPrompt())
              .setMask(new CocoRleMask(List.of(rle.height(), rle.width()), rle.counts()))
              .setBbox(List.of(box[0], box[1], box[2], box[3]))
              .setArea(mask.area())
              .setScores(scores(a.answers()))
              .setAgreementIou(round(a.verdict().agreement()))
              .setGtIou(gtIou == null ? null : round(gtIou))
              .build());
    }
  }

  /** Each annotator's score, rounded. */
  static List<AnnotatorScore> scores(List<Annotation> answers) {
    List<AnnotatorScore> scores = new ArrayList<>(answers.size());
    for (Annotation a : answers) {
      scores.add(new AnnotatorScore(a.annotator(), round(a.score())));
    }
    return scores;
  }

  static double round(double v) {
    return Double.isFinite(v) ? Math.round(v * 1e6) / 1e6 : v;
  }
}
