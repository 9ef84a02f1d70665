package dev.corpusforge.filters.language;

import com.github.pemistahl.lingua.api.Language;
import com.github.pemistahl.lingua.api.LanguageDetector;
import com.github.pemistahl.lingua.api.LanguageDetectorBuilder;
import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;

/**
 * Language identification with Lingua over all its 75 languages. A detector is built once per JVM
 * and accuracy mode and shared by every thread (high accuracy: all five n-gram lengths; low
 * accuracy: trigrams only, smaller and faster, weaker on short captions). Lingua's models are held
 * by {@link CompactLinguaModels}: a quarter of the memory of Lingua's own maps, the same values.
 *
 * <p>The score: Lingua ranks languages by confidence relative to the best (the best is always 1.0),
 * so we report the margin {@code 1 − second/best}: 0 when two languages tie ("Blue car" is as
 * Spanish as English), near 1 when the text leaves no doubt. It labels only; {@link LanguageRule}
 * decides.
 *
 * <p>Two things keep the cost off the run: {@link #preloadInBackground} starts the model load on a
 * daemon thread when a run's workers share the driver's JVM (embedded Flink, the Direct runner), so
 * it overlaps with the pipeline's planning and start (a cluster's workers load on their first
 * caption: a worker that gets none never pays); and each detection is remembered by its exact text
 * (a bounded cache: captions repeat across a corpus, and Lingua's answer is a function of the text
 * alone, so a remembered answer is the answer).
 */
public final class LanguageIdentifier {
  /** The code written when no language can be told, e.g. for emoji or digits only. */
  public static final String UNKNOWN = "unknown";

  /** Remembered detections per accuracy mode; bounded, evicted least recently used. */
  static final int CACHED_TEXTS = 50_000;

  /** A Latin-script text of every n-gram length: detecting it loads the Latin languages' models. */
  private static final String WARM_UP_TEXT = "corpusforge loads its language models";

  private static volatile LanguageDetector high;
  private static volatile LanguageDetector low;
  private static final Cache<String, Detection> HIGH_SEEN =
      CacheBuilder.newBuilder().maximumSize(CACHED_TEXTS).build();
  private static final Cache<String, Detection> LOW_SEEN =
      CacheBuilder.newBuilder().maximumSize(CACHED_TEXTS).build();

  private LanguageIdentifier() {}

  /** A detected language: ISO 639-1 code (or {@link #UNKNOWN}) and the margin score in 0..1. */
  public record Detection(String language, double score) {}

  public static Detection detect(String text, boolean lowAccuracy) {
    Cache<String, Detection> seen = lowAccuracy ? LOW_SEEN : HIGH_SEEN;
    Detection known = seen.getIfPresent(text);
    if (known != null) {
      return known;
    }
    Detection detection = compute(text, lowAccuracy);
    seen.put(text, detection);
    return detection;
  }

  /**
   * Starts loading the models of {@code lowAccuracy}'s detector on a daemon thread, and returns at
   * once; a detection that comes first waits for the same load. Loading twice is impossible: the
   * detector is built once per JVM.
   */
  public static void preloadInBackground(boolean lowAccuracy) {
    if ((lowAccuracy ? low : high) != null) {
      return;
    }
    Thread loader =
        new Thread(
            () -> detector(lowAccuracy).computeLanguageConfidenceValues(WARM_UP_TEXT),
            "language-models-preload");
    loader.setDaemon(true);
    loader.start();
  }

  private static Detection compute(String text, boolean lowAccuracy) {
    SortedMap<Language, Double> confidences =
        detector(lowAccuracy).computeLanguageConfidenceValues(text);
    Language best = null;
    double bestValue = 0;
    double second = 0;
    for (Map.Entry<Language, Double> e : confidences.entrySet()) {
      double v = e.getValue();
      if (best == null || v > bestValue) {
        second = bestValue;
        best = e.getKey();
        bestValue = v;
      } else if (v > second) {
        second = v;
      }
    }
    if (best == null || best == Language.UNKNOWN || bestValue <= 0) {
      return new Detection(UNKNOWN, 0.0);
    }
    String code = best.getIsoCode639_1().toString().toLowerCase(Locale.ROOT);
    return new Detection(code, 1.0 - second / bestValue);
  }

  private static LanguageDetector detector(boolean lowAccuracy) {
    LanguageDetector d = lowAccuracy ? low : high;
    if (d != null) {
      return d;
    }
    synchronized (LanguageIdentifier.class) {
      CompactLinguaModels.install();
      if (lowAccuracy) {
        if (low == null) {
          low = LanguageDetectorBuilder.fromAllLanguages().withLowAccuracyMode().build();
        }
        return low;
      }
      if (high == null) {
        high = LanguageDetectorBuilder.fromAllLanguages().build();
      }
      return high;
    }
  }
}
