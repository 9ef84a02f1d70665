import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Debian's package graph as a text-attributed graph: reads {@code apt-cache dumpavail} on stdin
 * and writes {@code OUT/nodes.jsonl} ({@code id}, {@code text} = "name: short description" then
 * the section and debtags, {@code label} = section) and {@code OUT/edges.jsonl} ({@code src},
 * {@code dst}: one row per package named in Depends or Pre-Depends, every alternative, version
 * and architecture qualifiers removed). Virtual packages have no node, so their edges are left
 * for the pipeline to count as unknown; a package listed twice keeps its first stanza.
 *
 * <p>With {@code ROOTS MAX}, only the first MAX packages reached breadth-first from the
 * comma-separated ROOTS over dependency edges (both directions, names in sorted order) are kept,
 * with the edge rows among them: a small connected sample.
 *
 * <p>Usage: apt-cache dumpavail | java -cp CLASSPATH samples/scripts/DebianPackageGraph.java OUT [ROOTS MAX]
 */
public class DebianPackageGraph {
  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    Files.createDirectories(out);
    ObjectMapper json = new ObjectMapper();
    Set<String> seen = new HashSet<>();
    long nodes = 0;
    long edges = 0;
    try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        BufferedWriter n = Files.newBufferedWriter(out.resolve("nodes.jsonl"));
        BufferedWriter e = Files.newBufferedWriter(out.resolve("edges.jsonl"))) {
      Map<String, String> stanza = new LinkedHashMap<>();
      String field = null;
      for (String line = in.readLine(); ; line = in.readLine()) {
        if (line == null || line.isEmpty()) {
          String name = stanza.get("Package");
          if (name != null && seen.add(name)) {
            nodes++;
            String section = stanza.getOrDefault("Section", "unknown");
            String tags = stanza.getOrDefault("Tag", "").replaceAll("\\s+", " ").strip();
            ObjectNode node = json.createObjectNode().put("id", name)
                .put("text", name + ": " + stanza.getOrDefault("Description", "") + "\nSection: " + section + (tags.isEmpty() ? "" : ". Tags: " + tags))
                .put("label", section);
            n.write(json.writeValueAsString(node));
            n.newLine();
            for (String key : new String[] {"Pre-Depends", "Depends"}) {
              for (String clause : stanza.getOrDefault(key, "").split(",")) {
                for (String alternative : clause.split("\\|")) {
                  String dep = alternative.strip().replaceAll("[\\s(\\[<].*$", "").replaceAll(":.*$", "");
                  if (!dep.isEmpty()) {
                    edges++;
                    e.write(json.writeValueAsString(json.createObjectNode().put("src", name).put("dst", dep)));
                    e.newLine();
                  }
                }
              }
            }
          }
          stanza.clear();
          field = null;
          if (line == null) {
            break;
          }
        } else if (Character.isWhitespace(line.charAt(0)) && field != null) {
          stanza.merge(field, "\n" + line.strip(), String::concat);
        } else {
          int colon = line.indexOf(':');
          if (colon > 0) {
            field = line.substring(0, colon);
            stanza.put(field, line.substring(colon + 1).strip());
          }
        }
      }
    }
    if (args.length > 2) {
      keepReachable(out, List.of(args[1].split(",")), Integer.parseInt(args[2]), json);
      return;
    }
    System.out.printf("%d nodes, %d edge rows → %s%n", nodes, edges, out);
  }

  /** Rewrites OUT's tables to the first {@code max} packages reached from {@code roots}. */
  static void keepReachable(Path out, List<String> roots, int max, ObjectMapper json) throws Exception {
    List<String> nodeLines = Files.readAllLines(out.resolve("nodes.jsonl"));
    List<String> edgeLines = Files.readAllLines(out.resolve("edges.jsonl"));
    Map<String, java.util.TreeSet<String>> adjacent = new java.util.HashMap<>();
    for (String line : edgeLines) {
      var e = json.readTree(line);
      adjacent.computeIfAbsent(e.get("src").asText(), k -> new java.util.TreeSet<>()).add(e.get("dst").asText());
      adjacent.computeIfAbsent(e.get("dst").asText(), k -> new java.util.TreeSet<>()).add(e.get("src").asText());
    }
    Set<String> known = new HashSet<>();
    for (String line : nodeLines) {
      known.add(json.readTree(line).get("id").asText());
    }
    Set<String> kept = new java.util.LinkedHashSet<>();
    java.util.ArrayDeque<String> queue = new java.util.ArrayDeque<>(roots);
    while (!queue.isEmpty() && kept.size() < max) {
      String p = queue.poll();
      if (known.contains(p) && kept.add(p)) {
        queue.addAll(adjacent.getOrDefault(p, new java.util.TreeSet<>()));
      }
    }
    List<String> keptNodes = new java.util.ArrayList<>();
    for (String line : nodeLines) {
      if (kept.contains(json.readTree(line).get("id").asText())) {
        keptNodes.add(line);
      }
    }
    List<String> keptEdges = new java.util.ArrayList<>();
    for (String line : edgeLines) {
      var e = json.readTree(line);
      if (kept.contains(e.get("src").asText()) && kept.contains(e.get("dst").asText())) {
        keptEdges.add(line);
      }
    }
    Files.write(out.resolve("nodes.jsonl"), keptNodes);
    Files.write(out.resolve("edges.jsonl"), keptEdges);
    System.out.printf("%d nodes, %d edge rows reached from %s → %s%n", keptNodes.size(), keptEdges.size(), roots, out);
  }
}
