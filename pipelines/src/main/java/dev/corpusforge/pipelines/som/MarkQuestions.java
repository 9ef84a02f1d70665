package dev.corpusforge.pipelines.som;

import dev.corpusforge.pipelines.run.OutputFiles;
import dev.corpusforge.schemas.RecordSeeds;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The QA split of SoM-LLaVA's data: questions about a tagged image's marks, answered from the
 * marks' labels. Templates come one per line as {@code KIND | QUESTION | ANSWER} ({@code what_is}:
 * {@code {n}} → {@code {label}}; {@code which}: {@code {label}} → {@code {tags}}; {@code how_many}:
 * {@code {label}} → {@code {count}}); every template is paired with every tag (what_is) or distinct
 * label (which, how_many), the pairs are shuffled by a generator seeded from the run seed and the
 * sample id, and the first {@code perImage} make the conversation: a re-run asks the same
 * questions. Labels are compared without case.
 */
public record MarkQuestions(List<Template> templates, int perImage) implements Serializable {
  public static final int DEFAULT_PER_IMAGE = 3;
  static final List<String> KINDS = List.of("what_is", "which", "how_many");

  /** One template. */
  public record Template(String kind, String question, String answer) implements Serializable {}

  public MarkQuestions {
    templates = List.copyOf(templates);
    if (templates.isEmpty()) {
      throw new IllegalArgumentException("the QA templates are empty");
    }
    if (perImage < 1) {
      throw new IllegalArgumentException("--qa-per-image must be at least 1, not " + perImage);
    }
  }

  public static MarkQuestions defaults(int perImage) {
    try (InputStream in = MarkQuestions.class.getResourceAsStream("qa_templates.txt")) {
      return new MarkQuestions(
          parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)), perImage);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The templates of a file (local or s3://). */
  public static MarkQuestions load(String location, int perImage) throws IOException {
    try {
      return new MarkQuestions(parse(OutputFiles.readString(location)), perImage);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--qa-templates " + location + ": " + e.getMessage());
    }
  }

  static List<Template> parse(String text) {
    List<Template> templates = new ArrayList<>();
    int line = 0;
    for (String raw : text.split("\\R")) {
      line++;
      String s = raw.strip();
      if (s.isEmpty() || s.startsWith("#")) {
        continue;
      }
      String[] parts = s.split("\\|", -1);
      if (parts.length != 3 || !KINDS.contains(parts[0].strip())) {
        throw new IllegalArgumentException(
            "line "
                + line
                + " is not KIND | QUESTION | ANSWER with KIND one of "
                + KINDS
                + ": "
                + s);
      }
      String kind = parts[0].strip();
      String subject = kind.equals("what_is") ? "{n}" : "{label}";
      if (!parts[1].contains(subject)) {
        throw new IllegalArgumentException(
            "line " + line + ": a " + kind + " question names its subject " + subject + ": " + s);
      }
      templates.add(new Template(kind, parts[1].strip(), parts[2].strip()));
    }
    return templates;
  }

  /** One question and its answer. */
  public record Turn(String question, String answer) {}

  /** The questions about marks labelled {@code labels} (mark k+1 has label k). */
  public List<Turn> ask(long seed, String sampleId, List<String> labels) {
    Map<String, List<Integer>> tagsByLabel = new LinkedHashMap<>();
    Map<String, String> spelling = new LinkedHashMap<>();
    for (int i = 0; i < labels.size(); i++) {
      String key = labels.get(i).toLowerCase(Locale.ROOT);
      tagsByLabel.computeIfAbsent(key, k -> new ArrayList<>()).add(i + 1);
      spelling.putIfAbsent(key, labels.get(i));
    }
    List<Turn> candidates = new ArrayList<>();
    for (Template t : templates) {
      if (t.kind().equals("what_is")) {
        for (int n = 1; n <= labels.size(); n++) {
          String label = labels.get(n - 1);
          candidates.add(fill(t, Integer.toString(n), label, null, null));
        }
      } else {
        for (var e : tagsByLabel.entrySet()) {
          String tags = String.join(", ", e.getValue().stream().map(String::valueOf).toList());
          candidates.add(
              fill(t, null, spelling.get(e.getKey()), tags, Integer.toString(e.getValue().size())));
        }
      }
    }
    Collections.shuffle(candidates, new Random(RecordSeeds.of(seed, "qa/" + sampleId)));
    List<Turn> chosen = new ArrayList<>();
    java.util.Set<String> asked = new java.util.HashSet<>();
    for (Turn c : candidates) {
      if (chosen.size() == perImage) {
        break;
      }
      if (asked.add(c.question())) {
        chosen.add(c);
      }
    }
    return chosen;
  }

  private static Turn fill(Template t, String n, String label, String tags, String count) {
    return new Turn(
        replace(t.question(), n, label, tags, count), replace(t.answer(), n, label, tags, count));
  }

  private static String replace(String s, String n, String label, String tags, String count) {
    String out = s.replace("{label}", label);
    if (n != null) {
      out = out.replace("{n}", n);
    }
    if (tags != null) {
      out = out.replace("{tags}", tags).replace("{count}", count);
    }
    return out;
  }
}
