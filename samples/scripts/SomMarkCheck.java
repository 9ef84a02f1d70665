import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corpusforge.annotators.region.BinaryMask;
import dev.corpusforge.annotators.region.CocoRle;
import dev.corpusforge.annotators.region.MaskImages;
import java.io.File;
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
 * Checks a som output against the COCO file it was built from: every mark's anchor (x, y) must lie
 * inside the ground-truth object its label names (compressed-RLE ground truth scaled to the tagged
 * size, nearest neighbour), and so must the centre of its drawn number (x + 2, y − 6 + 10, the
 * middle of an 18-pixel line). Labels must be unique per image, as in the clip-art scenes.
 *
 * <p>Usage: java -cp CLASSPATH SomMarkCheck.java SOM_OUT COCO.json
 */
public class SomMarkCheck {
  public static void main(String[] args) throws Exception {
    ObjectMapper json = new ObjectMapper();
    JsonNode gt = json.readTree(new File(args[1]));
    Map<Integer, String> categories = new HashMap<>();
    gt.path("categories").forEach(c -> categories.put(c.path("id").asInt(), c.path("name").asText().replaceAll("\\s+", " ").strip()));
    Map<String, Map<String, JsonNode>> objects = new HashMap<>();
    Map<Integer, String> files = new HashMap<>();
    gt.path("images").forEach(i -> files.put(i.path("id").asInt(), i.path("file_name").asText()));
    gt.path("annotations").forEach(a -> objects.computeIfAbsent(files.get(a.path("image_id").asInt()), k -> new HashMap<>())
        .put(categories.get(a.path("category_id").asInt()), a.path("segmentation")));
    long images = 0;
    long marks = 0;
    long inside = 0;
    long textInside = 0;
    long unmatched = 0;
    List<Path> parts;
    try (Stream<Path> s = Files.list(Path.of(args[0], "data"))) {
      parts = s.filter(p -> p.toString().endsWith(".parquet")).sorted().toList();
    }
    for (Path part : parts) {
      try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(part.toUri()), new Configuration())).build()) {
        GenericRecord r;
        while ((r = reader.read()) != null) {
          images++;
          String source = r.get("source").toString();
          Map<String, JsonNode> truth = null;
          for (Map.Entry<String, Map<String, JsonNode>> e : objects.entrySet()) {
            if (source.endsWith("/" + e.getKey())) {
              truth = e.getValue();
            }
          }
          int w = (Integer) r.get("width");
          int h = (Integer) r.get("height");
          for (Object o : (List<?>) r.get("marks")) {
            GenericRecord m = (GenericRecord) o;
            marks++;
            JsonNode seg = truth == null ? null : truth.get(m.get("label").toString());
            if (seg == null) {
              unmatched++;
              continue;
            }
            BinaryMask object = MaskImages.resize(CocoRle.decode(new CocoRle.Rle(seg.path("size").get(0).asInt(), seg.path("size").get(1).asInt(),
                seg.path("counts").asText())), w, h);
            int x = (Integer) m.get("x");
            int y = (Integer) m.get("y");
            if (object.get(x, y)) {
              inside++;
            }
            int tx = x + 2;
            int ty = y - 6 + 10;
            if (tx >= 0 && ty >= 0 && tx < w && ty < h && object.get(tx, ty)) {
              textInside++;
            }
          }
        }
      }
    }
    System.out.printf("%d images, %d marks: anchor inside its object %d (%.1f %%), number's centre inside %d (%.1f %%), labels without a ground-truth object %d%n",
        images, marks, inside, 100.0 * inside / Math.max(1, marks), textInside, 100.0 * textInside / Math.max(1, marks), unmatched);
    if (inside + unmatched != marks || unmatched != 0) {
      System.exit(1);
    }
  }
}
