package dev.corpusforge.pipelines.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The reject reasons the READMEs list, each a code in backticks: a code as written ({@code
 * min_side}), or a family ({@code error:<ExceptionClass>}, {@code llm_http_<code>}, {@code
 * fetch_*}). A reason a run emits that none of them names is a failing test.
 */
public final class DocumentedReasons {
  private static final List<String> READMES =
      List.of(
          "README.md",
          "core/README.md",
          "pipelines/README.md",
          "filters/README.md",
          "gpu-scorers/README.md",
          "annotators/README.md");
  private static final Pattern CODE = Pattern.compile("`([^`\\s]+)`");

  /** {@code <name>} or {@code *} inside a code: any name. */
  private static final Pattern PLACEHOLDER = Pattern.compile("<[A-Za-z_]+>|\\*");

  private static List<Pattern> listed;

  private DocumentedReasons() {}

  /** Fails unless a README lists {@code reason}. */
  public static void assertListed(String stage, String reason) {
    for (Pattern p : listed()) {
      if (p.matcher(reason).matches()) {
        return;
      }
    }
    throw new AssertionError(
        "reject reason " + stage + "/" + reason + " is listed in none of " + READMES);
  }

  private static synchronized List<Pattern> listed() {
    if (listed == null) {
      Path root = Path.of("..").toAbsolutePath().normalize();
      List<Pattern> patterns = new ArrayList<>();
      for (String readme : READMES) {
        String text;
        try {
          text = Files.readString(root.resolve(readme), StandardCharsets.UTF_8);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        Matcher m = CODE.matcher(text);
        while (m.find()) {
          String code = m.group(1);
          if (!PLACEHOLDER.matcher(code).replaceAll("").isEmpty()) {
            // a code that is all placeholder (`<eos>`) names no reason
            patterns.add(Pattern.compile(family(code)));
          }
        }
      }
      listed = patterns;
    }
    return listed;
  }

  /**
   * A listed code as a regular expression: each {@code <name>} and {@code *} stands for any name.
   */
  private static String family(String code) {
    StringBuilder regex = new StringBuilder();
    Matcher m = PLACEHOLDER.matcher(code);
    int from = 0;
    while (m.find()) {
      regex.append(Pattern.quote(code.substring(from, m.start()))).append("[A-Za-z0-9_.$]+");
      from = m.end();
    }
    return regex.append(Pattern.quote(code.substring(from))).toString();
  }
}
