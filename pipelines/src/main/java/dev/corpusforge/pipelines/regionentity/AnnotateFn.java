package dev.corpusforge.pipelines.regionentity;

import dev.corpusforge.annotators.region.AgreementRule;
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
import dev.corpusforge.core.Rejects;
import dev.corpusforge.core.RuleViolation;
import dev.corpusforge.core.output.ProgressMeter;
import dev.corpusforge.pipelines.fetch.ImageLoader;
import dev.corpusforge.pipelines.report.PreviewSelection;
import dev.corpusforge.schemas.CocoRleMask;
import dev.corpusforge.schemas.RegionEntitySample;
import dev.corpusforge.schemas.Reject;
import dev.corpusforge.scorers.MiniLmBundle;
import dev.corpusforge.scorers.SharedBundles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.TupleTag;
import org.joda.time.Instant;

/**
 * Loads a row's image ({@link ImageLoader}: local, s3:// or http(s) through the guarded fetcher,
 * checked with the image rules), runs every annotator on it, and applies the {@link AgreementRule}:
 * a kept {@link RegionEntitySample} or a reject. Emits one {@code annotated} line per row that
 * reached the annotators (for the success rate and, with ground truth, the evaluation) and drawn
 * previews of the rows with the smallest sample ids, a few per worker.
 */
final class AnnotateFn extends DoFn<RegionRow, RegionEntitySample> {
  static final int PREVIEWS = 12;

  private final RegionEntityConfig config;
  private final TupleTag<RegionEntitySample> keptTag;
  private final TupleTag<Reject> rejectTag;
  private final TupleTag<String> annotatedTag;
  private final TupleTag<String> previewTag;
  private transient RegionScorer scorer;
  private transient List<RegionAnnotator> annotators;
  private transient ImageLoader images;
  private transient GroundTruth groundTruth;
  private transient TreeMap<String, String> keptPreviews;
  private transient TreeMap<String, String> rejectedPreviews;

  AnnotateFn(
      RegionEntityConfig config,
      TupleTag<RegionEntitySample> keptTag,
      TupleTag<Reject> rejectTag,
      TupleTag<String> annotatedTag,
      TupleTag<String> previewTag) {
    this.config = config;
    this.keptTag = keptTag;
    this.rejectTag = rejectTag;
    this.annotatedTag = annotatedTag;
    this.previewTag = previewTag;
  }

  @Setup
  public void setup() throws IOException {
    if (config.usesDualEncoder()) {
      scorer =
          new DualEncoderRegionScorer(
              SharedBundles.get(
                  MiniLmBundle.resolve(config.model()), config.device(), config.threads()));
    }
    annotators = new ArrayList<>();
    for (String name : config.annotators()) {
      annotators.add(
          switch (name) {
            case SimilarityAnnotator.NAME -> new SimilarityAnnotator(scorer, config.similarity());
            case ProposalAnnotator.NAME -> new ProposalAnnotator(scorer, config.proposals());
            default ->
                new DetectorAnnotator(
                    DetectorBundle.shared(
                        config.detectorBundle(), config.device(), config.threads()),
                    config.detector());
          });
    }
    images = new ImageLoader(config.imageRules(), config.fetch());
    if (config.groundTruth() != null) {
      groundTruth = GroundTruth.shared(config.groundTruth());
    }
  }

  @StartBundle
  public void start() {
    keptPreviews = new TreeMap<>();
    rejectedPreviews = new TreeMap<>();
  }

  @ProcessElement
  public void process(@Element RegionRow row, MultiOutputReceiver out) {
    ProgressMeter.processed();
    BufferedImage rgb;
    try {
      rgb = images.load(row.location());
    } catch (RuleViolation v) {
      reject(out, row, RegionReasons.IMAGE, v.reason(), v.detail());
      return;
    }
    List<Annotation> answers = new ArrayList<>();
    for (RegionAnnotator a : annotators) {
      try {
        answers.add(a.annotate(rgb, row.textPrompt()));
      } catch (Exception | OutOfMemoryError e) {
        reject(
            out,
            row,
            RegionReasons.ANNOTATE,
            Rejects.errorReason(e),
            "annotator " + a.name() + ": " + e.getMessage());
        return;
      }
    }
    AgreementRule.Verdict verdict = config.agreement().judge(answers);
    GroundTruth.Match truth = groundTruth == null ? null : groundTruth.find(row);
    Double gtIou = truth == null || !verdict.kept() ? null : truth.mask().iou(verdict.mask());
    out.get(annotatedTag)
        .output(
            AnnotationStats.line(
                truth == null ? 0 : truth.objects(), truth != null, verdict.kept(), gtIou));
    if (!verdict.kept()) {
      reject(out, row, RegionReasons.AGREEMENT, verdict.reason(), verdict.detail());
      PreviewSelection.offer(
          rejectedPreviews,
          PREVIEWS,
          row.sampleId(),
          () -> RegionPreview.rejected(row, rgb, answers, verdict.reason(), verdict.detail()));
      return;
    }
    Map<String, Double> scores = new LinkedHashMap<>();
    for (Annotation a : answers) {
      scores.put(a.annotator(), round(a.score()));
    }
    BinaryMask mask = verdict.mask();
    CocoRle.Rle rle = CocoRle.encode(mask);
    int[] box = mask.bbox();
    RegionEntitySample sample =
        RegionEntitySample.newBuilder()
            .setSampleId(row.sampleId())
            .setSource(row.source())
            .setImage(row.location())
            .setWidth(rgb.getWidth())
            .setHeight(rgb.getHeight())
            .setEntityId(row.entityId())
            .setEntityName(row.entityName())
            .setEntityType(row.entityType())
            .setQuestion(row.question())
            .setSplit(row.split())
            .setTextPrompt(row.textPrompt())
            .setMask(new CocoRleMask(List.of(rle.height(), rle.width()), rle.counts()))
            .setBbox(List.of(box[0], box[1], box[2], box[3]))
            .setArea(mask.area())
            .setScores(new LinkedHashMap<>(scores))
            .setAgreementIou(round(verdict.agreement()))
            .setGtIou(gtIou == null ? null : round(gtIou))
            .build();
    out.get(keptTag).output(sample);
    String facts =
        String.format(
            Locale.ROOT,
            "agreement %.3f · %s%s",
            verdict.agreement(),
            scores,
            gtIou == null ? "" : String.format(Locale.ROOT, " · gt IoU %.3f", gtIou));
    PreviewSelection.offer(
        keptPreviews, PREVIEWS, row.sampleId(), () -> RegionPreview.kept(row, rgb, mask, facts));
  }

  @FinishBundle
  public void finish(FinishBundleContext c) {
    for (String line : keptPreviews.values()) {
      c.output(previewTag, line, Instant.now(), GlobalWindow.INSTANCE);
    }
    for (String line : rejectedPreviews.values()) {
      c.output(previewTag, line, Instant.now(), GlobalWindow.INSTANCE);
    }
  }

  private void reject(
      MultiOutputReceiver out, RegionRow row, String stage, String reason, String detail) {
    out.get(rejectTag).output(Rejects.of(row.sampleId(), row.source(), stage, reason, detail));
  }

  static double round(double v) {
    return Double.isFinite(v) ? Math.round(v * 1e6) / 1e6 : v;
  }

  @Teardown
  public void teardown() {
    if (annotators != null) {
      for (RegionAnnotator a : annotators) {
        if (a instanceof DetectorAnnotator d) {
          d.close();
        }
      }
    }
    if (scorer != null) {
      scorer.close();
    }
    if (images != null) {
      images.close();
    }
  }
}
