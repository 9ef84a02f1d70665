import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/**
 * How often kept captions match their images, against the input, for a run on an input made by
 * make_alignment_check.py: reads the run's data and rejects (Parquet, with parquet-avro) and the
 * truth table, and prints the matched share of the input, of the pairs that reached scoring
 * (kept + score_below_threshold) and of the kept pairs, with their mean scores.
 *
 * <p>Usage: java -cp CLASSPATH AlignmentCheck.java OUTPUT_DIR TRUTH_TSV
 */
public class AlignmentCheck {
  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    Map<String, Boolean> truth = new HashMap<>();
    for (String line : Files.readAllLines(Path.of(args[1])).subList(1, Files.readAllLines(Path.of(args[1])).size())) {
      String[] f = line.split("\t");
      truth.put(f[0], f[1].equals("1"));
    }
    int[] kept = new int[2];
    double[] keptScore = new double[2];
    for (GenericRecord r : rows(out.resolve("data"))) {
      int m = truth.get(r.get("source").toString()) ? 1 : 0;
      kept[m]++;
      keptScore[m] += (Double) r.get("filip_score");
    }
    int[] below = new int[2];
    for (GenericRecord r : rows(out.resolve("rejects"))) {
      if ("score_below_threshold".equals(r.get("reason").toString())) {
        below[truth.get(r.get("source").toString()) ? 1 : 0]++;
      }
    }
    long inputMatched = truth.values().stream().filter(b -> b).count();
    System.out.printf("input:  %d pairs, %d matched (%.1f%%)%n", truth.size(), inputMatched, 100.0 * inputMatched / truth.size());
    int scored = kept[0] + kept[1] + below[0] + below[1];
    System.out.printf("scored: %d pairs, %d matched (%.1f%%)%n", scored, kept[1] + below[1], 100.0 * (kept[1] + below[1]) / scored);
    System.out.printf("kept:   %d pairs, %d matched (%.1f%%); mean filip_score matched %.4f, mismatched %.4f%n", kept[0] + kept[1], kept[1],
        100.0 * kept[1] / Math.max(1, kept[0] + kept[1]), keptScore[1] / Math.max(1, kept[1]), keptScore[0] / Math.max(1, kept[0]));
    System.out.printf("dropped by the alignment filter: %d matched, %d mismatched%n", below[1], below[0]);
  }

  static List<GenericRecord> rows(Path dir) throws Exception {
    List<GenericRecord> out = new java.util.ArrayList<>();
    List<Path> files;
    try (Stream<Path> s = Files.walk(dir)) {
      files = s.filter(p -> p.toString().endsWith(".parquet")).sorted().toList();
    }
    for (Path f : files) {
      try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(f.toUri()), new Configuration())).build()) {
        for (GenericRecord r; (r = reader.read()) != null; ) {
          out.add(r);
        }
      }
    }
    return out;
  }
}
