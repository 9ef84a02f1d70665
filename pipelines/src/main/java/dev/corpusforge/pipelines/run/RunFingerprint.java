package dev.corpusforge.pipelines.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corpusforge.core.output.OutputLayout;
import dev.corpusforge.core.output.StatsLines;
import dev.corpusforge.core.read.Decompression;
import dev.corpusforge.core.read.SourceStamp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * What a run's output depends on, written to {@code _run/run.json} before the job starts: the
 * pipeline, its config as the manifest echoes it, and every input file (path, size, modification
 * time). {@code --resume} compares it with the interrupted run's and refuses, naming the first
 * differences, when they disagree: a resumed run must produce what the interrupted one would have.
 * It also names the run's cache scope ({@link dev.corpusforge.core.cache.CacheSpec#scope}), new for
 * a fresh run and carried over by a resumption.
 */
public final class RunFingerprint {
  static final String FILE = "run.json";

  /** Differences named in a refusal, at most. */
  private static final int NAMED = 5;

  private final ObjectNode json;

  private RunFingerprint(ObjectNode json) {
    this.json = json;
  }

  /** What this fingerprint holds, as {@code run.json} has it. */
  ObjectNode json() {
    return json;
  }

  /** The fingerprint of a run of {@code pipeline} with {@code config} over {@code inputs}. */
  public static RunFingerprint of(String pipeline, JsonNode config, List<String> inputs)
      throws IOException {
    return of(pipeline, config, inputs, List.of());
  }

  /** The same, listing {@code filesRead} (a {@link ReadsFiles} config's) with the inputs. */
  public static RunFingerprint of(
      String pipeline, JsonNode config, List<String> inputs, List<String> filesRead)
      throws IOException {
    ObjectNode json = StatsLines.JSON.createObjectNode();
    json.put("pipeline", pipeline);
    json.set("config", config);
    ObjectNode files = json.putObject("input_files");
    Map<String, String> listed = listInputs(inputs);
    refuseCompressionTwins(listed.keySet());
    listed.putAll(listInputs(filesRead));
    for (Map.Entry<String, String> f : listed.entrySet()) {
      files.put(f.getKey(), f.getValue());
    }
    return new RunFingerprint(json);
  }

  /**
   * Refuses two input files that differ only by a compression extension ({@code a.jsonl} and {@code
   * a.jsonl.gz}): a row has the same sample id compressed or not, so they would be one table's rows
   * twice.
   */
  static void refuseCompressionTwins(java.util.Collection<String> files) {
    Map<String, String> byTable = new TreeMap<>();
    for (String f : files) {
      String other = byTable.putIfAbsent(Decompression.withoutExtension(f), f);
      if (other != null) {
        throw new IllegalArgumentException(
            "input files "
                + other
                + " and "
                + f
                + " are the same table, compressed and not (their rows have the same sample ids): give one of them");
      }
    }
  }

  static String path(OutputLayout layout) {
    return layout.runDir() + "/" + FILE;
  }

  /** Writes this fingerprint, with the run's cache scope, into the run's working folder. */
  public void write(OutputLayout layout, String cacheScope) throws IOException {
    ObjectNode out = json.deepCopy();
    out.put(SCOPE, cacheScope);
    OutputFiles.writeString(path(layout), out.toString() + "\n", "application/json");
  }

  private static final String SCOPE = "cache_scope";

  /** The fingerprint an earlier run left in {@code layout}, or null when there is none. */
  static RunFingerprint read(OutputLayout layout) throws IOException {
    if (!OutputFiles.exists(path(layout))) {
      return null;
    }
    return new RunFingerprint(
        (ObjectNode) StatsLines.JSON.readTree(OutputFiles.readString(path(layout))));
  }

  /**
   * Checks that {@code layout} holds a run that did not finish and that this run would continue it,
   * else an {@link IllegalArgumentException} that says why; that run's cache scope.
   */
  public String checkResumes(OutputLayout layout) throws IOException {
    if (OutputFiles.exists(layout.success())) {
      throw new IllegalArgumentException(
          "output " + layout.root() + " holds a finished run (_SUCCESS): nothing to resume");
    }
    RunFingerprint earlier = read(layout);
    if (earlier == null) {
      throw new IllegalArgumentException(
          "output "
              + layout.root()
              + " holds no run to resume (no "
              + path(layout)
              + "); start it without --resume");
    }
    List<String> differences = differences(earlier.json, json);
    if (!differences.isEmpty()) {
      throw new IllegalArgumentException(
          "cannot resume the run in "
              + layout.root()
              + ": "
              + String.join("; ", differences)
              + "; run it with what the interrupted run had, or start again with --overwrite");
    }
    return earlier.json.path(SCOPE).asText(null);
  }

  /** What differs from {@code before} to {@code now}, each difference in words, the first few. */
  static List<String> differences(JsonNode before, JsonNode now) {
    List<String> out = new ArrayList<>();
    if (!before.path("pipeline").equals(now.path("pipeline"))) {
      out.add(
          "it was a "
              + before.path("pipeline").asText()
              + " run, not "
              + now.path("pipeline").asText());
      return out;
    }
    Map<String, String> was = new TreeMap<>();
    Map<String, String> is = new TreeMap<>();
    flatten("", before.path("config"), was);
    flatten("", now.path("config"), is);
    for (String key : union(was, is)) {
      String a = was.get(key);
      String b = is.get(key);
      if (a == null) {
        out.add("config " + key + " is new (" + b + ")");
      } else if (b == null) {
        out.add("config " + key + " is gone (was " + a + ")");
      } else if (!a.equals(b)) {
        out.add("config " + key + " was " + a + ", now " + b);
      }
    }
    Map<String, String> filesWere = new TreeMap<>();
    Map<String, String> filesAre = new TreeMap<>();
    before
        .path("input_files")
        .fields()
        .forEachRemaining(e -> filesWere.put(e.getKey(), e.getValue().asText()));
    now.path("input_files")
        .fields()
        .forEachRemaining(e -> filesAre.put(e.getKey(), e.getValue().asText()));
    for (String file : union(filesWere, filesAre)) {
      String a = filesWere.get(file);
      String b = filesAre.get(file);
      if (a == null) {
        out.add("input file " + file + " was added");
      } else if (b == null) {
        out.add("input file " + file + " is gone");
      } else if (!a.equals(b)) {
        out.add("input file " + file + " changed (" + a + " → " + b + ")");
      }
    }
    if (out.size() > NAMED) {
      int more = out.size() - NAMED;
      out = new ArrayList<>(out.subList(0, NAMED));
      out.add("and " + more + " more");
    }
    return out;
  }

  private static List<String> union(Map<String, String> a, Map<String, String> b) {
    TreeMap<String, Boolean> keys = new TreeMap<>();
    a.keySet().forEach(k -> keys.put(k, true));
    b.keySet().forEach(k -> keys.put(k, true));
    return new ArrayList<>(keys.keySet());
  }

  private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
      }
    } else if (!node.isMissingNode()) {
      out.put(prefix.isEmpty() ? "(config)" : prefix, node.toString());
    }
  }

  /** Every file of the inputs: path → "SIZE bytes, modified MILLIS". */
  static Map<String, String> listInputs(List<String> inputs) throws IOException {
    Map<String, String> files = new TreeMap<>();
    for (String input : inputs) {
      Path local = SourceStamp.isRemote(input) ? null : SourceStamp.localPath(input);
      if (local != null && Files.isDirectory(local)) {
        try (Stream<Path> walk = Files.walk(local)) {
          for (Path p : (Iterable<Path>) walk::iterator) {
            if (Files.isRegularFile(p)) {
              files.put(
                  p.toAbsolutePath().normalize().toString(),
                  Files.size(p) + " bytes, modified " + Files.getLastModifiedTime(p).toMillis());
            }
          }
        }
        continue;
      }
      List<MatchResult.Metadata> matched = OutputFiles.match(input);
      if (matched.isEmpty() || (matched.size() == 1 && matched.get(0).resourceId().isDirectory())) {
        matched = OutputFiles.listUnder(input);
      }
      for (MatchResult.Metadata m : matched) {
        if (!m.resourceId().isDirectory()) {
          files.put(
              m.resourceId().toString(),
              m.sizeBytes() + " bytes, modified " + m.lastModifiedMillis());
        }
      }
    }
    return files;
  }
}
