import ai.djl.Device;
import dev.corpusforge.scorers.LoadedBundle;
import dev.corpusforge.scorers.MiniLmBundle;
import dev.corpusforge.scorers.ModelBundle;
import dev.corpusforge.scorers.TextEncoder;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/**
 * Where to put graph-summary's --min-align: scores each kept sample's summary against its own
 * nodes (matched) and against the nodes of the sample half the list away in seed order (shuffled; neighbours in id order are often related packages), with the
 * built-in MiniLM, as the pipeline does (mean of unit node vectors, cosine), and prints quantiles
 * of both. Run on an output made with --min-align -1 (nothing filtered).
 *
 * <p>Usage: java -cp CLASSPATH samples/scripts/AlignThreshold.java NODES.jsonl OUT [MAX_SAMPLES]
 */
public class AlignThreshold {
  public static void main(String[] args) throws Exception {
    Map<String, String> texts = new HashMap<>();
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    for (String line : Files.readAllLines(Path.of(args[0]))) {
      var n = json.readTree(line);
      texts.put(n.get("id").asText(), n.path("text").asText());
    }
    int max = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
    List<List<String>> nodes = new ArrayList<>();
    List<String> summaries = new ArrayList<>();
    try (DirectoryStream<Path> parts = Files.newDirectoryStream(Path.of(args[1], "data"), "part-*.parquet")) {
      for (Path part : parts) {
        try (ParquetReader<GenericRecord> r = AvroParquetReader.<GenericRecord>builder(HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(part.toUri()), new Configuration())).build()) {
          for (GenericRecord g = r.read(); g != null && summaries.size() < max; g = r.read()) {
            List<String> ids = new ArrayList<>();
            ((List<?>) g.get("node_ids")).forEach(o -> ids.add(o.toString()));
            nodes.add(ids);
            summaries.add(g.get("summary").toString());
          }
        }
      }
    }
    try (LoadedBundle bundle = LoadedBundle.open(ModelBundle.load(MiniLmBundle.localCopy()), Device.cpu(), 0); TextEncoder enc = bundle.textEncoder()) {
      Map<String, float[]> vec = new HashMap<>();
      List<String> need = nodes.stream().flatMap(List::stream).distinct().toList();
      for (int i = 0; i < need.size(); i += 64) {
        List<String> ids = need.subList(i, Math.min(need.size(), i + 64));
        List<TextEncoder.Encoded> e = enc.encode(ids.stream().map(id -> texts.getOrDefault(id, id).isBlank() ? id : texts.get(id)).toList());
        for (int j = 0; j < ids.size(); j++) {
          vec.put(ids.get(j), unit(e.get(j).pooled()));
        }
      }
      List<float[]> sv = new ArrayList<>();
      for (int i = 0; i < summaries.size(); i += 64) {
        enc.encode(summaries.subList(i, Math.min(summaries.size(), i + 64))).forEach(e -> sv.add(unit(e.pooled())));
      }
      int n = summaries.size();
      double[] matched = new double[n];
      double[] shuffled = new double[n];
      for (int i = 0; i < n; i++) {
        matched[i] = dot(sv.get(i), mean(nodes.get(i), vec));
        shuffled[i] = dot(sv.get(i), mean(nodes.get((i + n / 2) % n), vec));
      }
      Arrays.sort(matched);
      Arrays.sort(shuffled);
      System.out.printf("%d samples%n", n);
      for (double q : new double[] {0.01, 0.05, 0.1, 0.5, 0.9, 0.95, 0.99}) {
        System.out.printf("q%.2f  matched %.3f  shuffled %.3f%n", q, matched[(int) (q * (n - 1))], shuffled[(int) (q * (n - 1))]);
      }
      for (double t : new double[] {0.4, 0.5, 0.6}) {
        System.out.printf("threshold %.2f: keeps %.1f%% of matched, %.1f%% of shuffled%n", t, 100.0 * above(matched, t) / n, 100.0 * above(shuffled, t) / n);
      }
    }
  }

  static long above(double[] s, double t) {
    return Arrays.stream(s).filter(x -> x >= t).count();
  }

  static float[] mean(List<String> ids, Map<String, float[]> vec) {
    float[] m = new float[vec.values().iterator().next().length];
    for (String id : ids) {
      float[] v = vec.get(id);
      for (int i = 0; i < m.length; i++) {
        m[i] += v[i];
      }
    }
    return unit(m);
  }

  static float[] unit(float[] v) {
    double n = 0;
    for (float x : v) {
      n += x * x;
    }
    float[] u = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      u[i] = (float) (v[i] / Math.sqrt(n));
    }
    return u;
  }

  static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
