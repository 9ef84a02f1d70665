package dev.corpusforge.scorers.beam;

import dev.corpusforge.core.Outcome;
import dev.corpusforge.core.Rejects;
import dev.corpusforge.core.Stage;
import dev.corpusforge.core.Step;
import dev.corpusforge.core.StepResult;
import dev.corpusforge.schemas.Reject;
import java.util.Locale;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Drops scored pairs under the {@link AlignmentRule}'s threshold with {@code
 * score_below_threshold}, the score and the threshold in the detail. A fixed floor is decided pair
 * by pair; a top fraction waits for {@link TopFractionThreshold} over every scored pair.
 */
public final class AlignmentFilter<T> extends PTransform<PCollection<T>, StepResult<T>> {
  public static final String STAGE = "alignment";

  private final AlignmentRule rule;
  private final ScoredRecords<T> records;

  private AlignmentFilter(AlignmentRule rule, ScoredRecords<T> records) {
    this.rule = rule;
    this.records = records;
  }

  public static <T> AlignmentFilter<T> of(AlignmentRule rule, ScoredRecords<T> records) {
    return new AlignmentFilter<>(rule, records);
  }

  @Override
  public StepResult<T> expand(PCollection<T> scored) {
    if (rule.keepTopFraction() == null) {
      return scored.apply("Score floor", Stage.of(STAGE, new FloorStep<>(rule, records), records));
    }
    ScoredRecords<T> r = records;
    AlignmentRule a = rule;
    PCollectionView<TopFractionThreshold.Threshold> threshold =
        scored
            .apply(
                "Scores",
                MapElements.into(TypeDescriptors.doubles())
                    .via((T record) -> scoreOf(r, record, a)))
            .setCoder(DoubleCoder.of())
            .apply("Top fraction threshold", TopFractionThreshold.of(rule.keepTopFraction()));
    TupleTag<T> keptTag = new TupleTag<>();
    TupleTag<Reject> rejectTag = new TupleTag<>();
    PCollectionTuple out =
        scored.apply(
            "Keep the top fraction",
            ParDo.of(new TopFractionFn<>(rule, records, threshold, keptTag, rejectTag))
                .withSideInputs(threshold)
                .withOutputTags(keptTag, TupleTagList.of(rejectTag)));
    return StepResult.of(out, keptTag, scored.getCoder(), rejectTag);
  }

  static <T> double scoreOf(ScoredRecords<T> records, T record, AlignmentRule rule) {
    Double s = records.score(record, rule.score());
    if (s == null) {
      throw new IllegalStateException(
          "sample "
              + records.sampleId(record)
              + " reached the alignment filter without a "
              + rule.score().id()
              + " score");
    }
    return s;
  }

  static String below(AlignmentRule rule, double score, double threshold, String why) {
    return String.format(
        Locale.ROOT, "%s_score %.6f < %.6f (%s)", rule.score().id(), score, threshold, why);
  }

  static final class FloorStep<T> implements Step<T, T> {
    private final AlignmentRule rule;
    private final ScoredRecords<T> records;

    FloorStep(AlignmentRule rule, ScoredRecords<T> records) {
      this.rule = rule;
      this.records = records;
    }

    @Override
    public Outcome<T> apply(T record) {
      double score = scoreOf(records, record, rule);
      String language = records.language(record);
      Double floor = rule.floorFor(language);
      if (floor == null || score >= floor) {
        return Outcome.keep(record);
      }
      String why =
          rule.minScoreByLanguage().containsKey(language)
              ? "min score for " + language
              : "min score";
      return Outcome.drop(ScoreReasons.SCORE_BELOW_THRESHOLD, below(rule, score, floor, why));
    }
  }

  static final class TopFractionFn<T> extends DoFn<T, T> {
    private final AlignmentRule rule;
    private final ScoredRecords<T> records;
    private final PCollectionView<TopFractionThreshold.Threshold> threshold;
    private final TupleTag<T> keptTag;
    private final TupleTag<Reject> rejectTag;
    private final Counter kept = Metrics.counter(STAGE, "kept");
    private final Counter dropped = Metrics.counter(STAGE, ScoreReasons.SCORE_BELOW_THRESHOLD);

    TopFractionFn(
        AlignmentRule rule,
        ScoredRecords<T> records,
        PCollectionView<TopFractionThreshold.Threshold> threshold,
        TupleTag<T> keptTag,
        TupleTag<Reject> rejectTag) {
      this.rule = rule;
      this.records = records;
      this.threshold = threshold;
      this.keptTag = keptTag;
      this.rejectTag = rejectTag;
    }

    @ProcessElement
    public void process(@Element T record, ProcessContext c) {
      TopFractionThreshold.Threshold t = c.sideInput(threshold);
      double score = scoreOf(records, record, rule);
      if (score >= t.value()) {
        kept.inc();
        c.output(record);
        return;
      }
      dropped.inc();
      String why =
          String.format(
              Locale.ROOT,
              "top %s of %d scored pairs: the score at rank %d",
              fraction(t.fraction()),
              t.scored(),
              t.rank());
      c.output(
          rejectTag,
          Rejects.of(
              records.sampleId(record),
              records.source(record),
              STAGE,
              ScoreReasons.SCORE_BELOW_THRESHOLD,
              below(rule, score, t.value(), why)));
    }

    private static String fraction(double f) {
      return String.format(Locale.ROOT, "%.4g%%", f * 100).replaceAll("\\.?0+%$", "%");
    }
  }
}
