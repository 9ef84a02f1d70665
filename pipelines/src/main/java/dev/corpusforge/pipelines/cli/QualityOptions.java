package dev.corpusforge.pipelines.cli;

import dev.corpusforge.filters.quality.C4Quality;
import dev.corpusforge.filters.quality.GopherQuality;
import dev.corpusforge.filters.quality.GopherRepetition;
import dev.corpusforge.filters.quality.QualityRules;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * {@code --quality gopher,c4} and every threshold of the rule sets, with DataTrove's and the
 * papers' defaults (a number ≤ 0 turns its rule off).
 */
final class QualityOptions {
  @Option(
      names = "--quality",
      split = ",",
      paramLabel = "SET",
      description =
          "Quality rule sets to apply before dedup: gopher (Gopher's quality and repetition rules), c4 (C4's line and page rules). Default: none.")
  List<String> sets = List.of();

  @Option(
      names = "--gopher-min-words",
      defaultValue = "50",
      description = "Default: ${DEFAULT-VALUE}.")
  int minWords;

  @Option(
      names = "--gopher-max-words",
      defaultValue = "100000",
      description = "Default: ${DEFAULT-VALUE}.")
  int maxWords;

  @Option(
      names = "--gopher-min-mean-word-length",
      defaultValue = "3",
      description = "Default: ${DEFAULT-VALUE}.")
  double minMeanWordLength;

  @Option(
      names = "--gopher-max-mean-word-length",
      defaultValue = "10",
      description = "Default: ${DEFAULT-VALUE}.")
  double maxMeanWordLength;

  @Option(
      names = "--gopher-max-symbol-word-ratio",
      defaultValue = "0.1",
      description = "'#' and ellipses per word, each. Default: ${DEFAULT-VALUE}.")
  double maxSymbolWordRatio;

  @Option(
      names = "--gopher-max-bullet-lines-ratio",
      defaultValue = "0.9",
      description = "Default: ${DEFAULT-VALUE}.")
  double maxBulletLinesRatio;

  @Option(
      names = "--gopher-max-ellipsis-lines-ratio",
      defaultValue = "0.3",
      description = "Default: ${DEFAULT-VALUE}.")
  double maxEllipsisLinesRatio;

  @Option(
      names = "--gopher-min-alpha-words-ratio",
      defaultValue = "0.8",
      description = "Words holding a letter, at least. Default: ${DEFAULT-VALUE}.")
  double minAlphaWordsRatio;

  @Option(
      names = "--gopher-min-stop-words",
      defaultValue = "2",
      description = "Of: the, be, to, of, and, that, have, with. Default: ${DEFAULT-VALUE}.")
  int minStopWords;

  @Option(
      names = "--gopher-dup-line-frac",
      defaultValue = "0.3",
      description = "Default: ${DEFAULT-VALUE}.")
  double dupLineFrac;

  @Option(
      names = "--gopher-dup-para-frac",
      defaultValue = "0.3",
      description = "Default: ${DEFAULT-VALUE}.")
  double dupParaFrac;

  @Option(
      names = "--gopher-dup-line-char-frac",
      defaultValue = "0.2",
      description = "Default: ${DEFAULT-VALUE}.")
  double dupLineCharFrac;

  @Option(
      names = "--gopher-dup-para-char-frac",
      defaultValue = "0.2",
      description = "Default: ${DEFAULT-VALUE}.")
  double dupParaCharFrac;

  @Option(
      names = "--gopher-top-ngram-char-frac",
      split = ",",
      defaultValue = "0.2,0.18,0.16",
      description = "For 2-, 3- and 4-grams. Default: ${DEFAULT-VALUE}.")
  List<Double> topNGrams;

  @Option(
      names = "--gopher-dup-ngram-char-frac",
      split = ",",
      defaultValue = "0.15,0.14,0.13,0.12,0.11,0.10",
      description = "For 5- to 10-grams. Default: ${DEFAULT-VALUE}.")
  List<Double> dupNGrams;

  @Option(
      names = "--c4-min-sentences",
      defaultValue = "5",
      description = "Default: ${DEFAULT-VALUE}.")
  int minSentences;

  @Option(
      names = "--c4-min-words-per-line",
      defaultValue = "3",
      description = "Default: ${DEFAULT-VALUE}.")
  int minWordsPerLine;

  @Option(
      names = "--c4-max-word-length",
      defaultValue = "1000",
      description = "Default: ${DEFAULT-VALUE}.")
  int maxWordLength;

  @Option(
      names = "--c4-skip-rules",
      split = ",",
      paramLabel = "RULE",
      description =
          "C4 rules to leave out: terminal-punctuation, lorem-ipsum, javascript, curly-bracket, policy. Default: none.")
  List<String> c4Off = List.of();

  QualityRules rules() {
    Set<String> chosen = new LinkedHashSet<>();
    for (String s : sets) {
      String set = s.strip().toLowerCase(Locale.ROOT);
      if (!set.equals("gopher") && !set.equals("c4")) {
        throw new IllegalArgumentException("unknown --quality set '" + s + "': gopher or c4");
      }
      chosen.add(set);
    }
    if (topNGrams.size() != 3 || dupNGrams.size() != 6) {
      throw new IllegalArgumentException(
          "--gopher-top-ngram-char-frac takes 3 fractions (2- to 4-grams),"
              + " --gopher-dup-ngram-char-frac 6 (5- to 10-grams)");
    }
    Set<String> off = new LinkedHashSet<>();
    for (String r : c4Off) {
      String rule = r.strip().toLowerCase(Locale.ROOT);
      if (!List.of("terminal-punctuation", "lorem-ipsum", "javascript", "curly-bracket", "policy")
          .contains(rule)) {
        throw new IllegalArgumentException("unknown C4 rule '" + r + "' for --c4-skip-rules");
      }
      off.add(rule);
    }
    boolean gopher = chosen.contains("gopher");
    return new QualityRules(
        gopher
            ? new GopherQuality.Settings(
                minWords,
                maxWords,
                minMeanWordLength,
                maxMeanWordLength,
                maxSymbolWordRatio,
                maxBulletLinesRatio,
                maxEllipsisLinesRatio,
                minAlphaWordsRatio,
                minStopWords)
            : null,
        gopher
            ? new GopherRepetition.Settings(
                dupLineFrac,
                dupParaFrac,
                dupLineCharFrac,
                dupParaCharFrac,
                List.copyOf(topNGrams),
                List.copyOf(dupNGrams))
            : null,
        chosen.contains("c4")
            ? new C4Quality.Settings(
                minSentences,
                minWordsPerLine,
                maxWordLength,
                !off.contains("terminal-punctuation"),
                !off.contains("lorem-ipsum"),
                !off.contains("javascript"),
                !off.contains("curly-bracket"),
                !off.contains("policy"))
            : null);
  }
}
