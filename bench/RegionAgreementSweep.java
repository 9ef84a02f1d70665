import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/**
 * region-entity's precision / kept trade-off along {@code --min-agreement}, from one run made with
 * {@code --min-agreement 0 --ground-truth …}: every row both annotators answered carries its
 * agreement IoU and its IoU with the truth, so the rows a higher floor would keep are those at or
 * above it. Per object count (the scene rows' {@code objects}) and overall: kept share of all rows,
 * precision (IoU ≥ 0.5 with the truth) and mean IoU. Reads data/ with parquet-avro, not the
 * pipeline's reader.
 *
 * <p>Usage: java -cp CLASSPATH bench/RegionAgreementSweep.java ROWS.jsonl OUT [FLOOR…]
 */
public class RegionAgreementSweep {
  record Row(int objects, double agreement, double gtIou) {}

  public static void main(String[] args) throws Exception {
    Path rowsFile = Path.of(args[0]);
    Path out = Path.of(args[1]);
    List<Double> floors = new ArrayList<>();
    for (int i = 2; i < args.length; i++) {
      floors.add(Double.parseDouble(args[i]));
    }
    if (floors.isEmpty()) {
      floors = List.of(0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9);
    }
    ObjectMapper json = new ObjectMapper();
    List<String> lines = Files.readAllLines(rowsFile);
    Map<Integer, Integer> rowsByObjects = new TreeMap<>();
    Map<String, Integer> objectsByRef = new TreeMap<>();
    String table = rowsFile.getFileName().toString();
    for (int i = 0; i < lines.size(); i++) {
      JsonNode n = json.readTree(lines.get(i));
      int objects = n.path("objects").asInt();
      rowsByObjects.merge(objects, 1, Integer::sum);
      objectsByRef.put(table + "#" + (i + 1), objects);
    }
    List<Row> kept = new ArrayList<>();
    List<Path> parts;
    try (Stream<Path> walk = Files.walk(out.resolve("data"))) {
      parts = walk.filter(f -> f.toString().endsWith(".parquet")).sorted().toList();
    }
    for (Path f : parts) {
      try (ParquetReader<GenericRecord> reader =
          AvroParquetReader.<GenericRecord>builder(
                  HadoopInputFile.fromPath(
                      new org.apache.hadoop.fs.Path(f.toString()),
                      new org.apache.hadoop.conf.Configuration()))
              .build()) {
        for (GenericRecord r; (r = reader.read()) != null; ) {
          String source = r.get("source").toString();
          String ref = source.substring(source.lastIndexOf('/') + 1);
          Object gt = r.get("gt_iou");
          kept.add(
              new Row(
                  objectsByRef.getOrDefault(ref, -1),
                  (Double) r.get("agreement_iou"),
                  gt == null ? 0 : (Double) gt));
        }
      }
    }
    System.out.println(
        "min-agreement | objects | kept | kept share | precision (IoU ≥ 0.5) | mean IoU");
    for (double floor : floors) {
      List<Integer> groups = new ArrayList<>(rowsByObjects.keySet());
      groups.add(0); // all
      for (int objects : groups) {
        int all = objects == 0 ? lines.size() : rowsByObjects.get(objects);
        List<Row> at =
            kept.stream()
                .filter(r -> r.agreement() >= floor && (objects == 0 || r.objects() == objects))
                .toList();
        long good = at.stream().filter(r -> r.gtIou() >= 0.5).count();
        double meanIou = at.stream().mapToDouble(Row::gtIou).average().orElse(Double.NaN);
        System.out.println(
            String.format(
                Locale.ROOT,
                "%.2f | %s | %d | %.1f %% | %.1f %% | %.3f",
                floor,
                objects == 0 ? "all" : Integer.toString(objects),
                at.size(),
                100.0 * at.size() / all,
                at.isEmpty() ? Double.NaN : 100.0 * good / at.size(),
                meanIou));
      }
    }
  }
}
