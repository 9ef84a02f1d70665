import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corpusforge.annotators.region.BinaryMask;
import dev.corpusforge.annotators.region.CocoRle;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Builds region-entity scenes with exact masks: held-out openclipart PNGs (their alpha channel is
 * the mask, their SVG's Dublin Core title the entity name, their category folder the parent class)
 * pasted without overlap onto crops of Debian's GNOME wallpapers. Titles that name no thing
 * (collection labels, author credits, numbered names) are left out.
 *
 * <p>Usage: java -cp CLASSPATH RegionScenes.java OPENCLIPART_ROOT PAIRS.jsonl BACKGROUND_DIR OUT SCENES_PER_COUNT SEED [MIN_OBJECTS MAX_OBJECTS]
 * <br>Writes OUT/images/scene-NNNNN-kK.jpg, OUT/rows.jsonl (one row per object: image, entity_id,
 * entity_name, entity_type, objects), OUT/kb.jsonl (entity_id, parent) and OUT/ground_truth.json
 * (COCO: images, categories {id, name, entity_id}, annotations with compressed RLE). Scenes hold
 * MIN_OBJECTS … MAX_OBJECTS objects (default 1 … 3), SCENES_PER_COUNT of each; beyond three
 * objects the clip art is drawn smaller so that they fit.
 */
public class RegionScenes {
  static final int WIDTH = 512;
  static final int HEIGHT = 384;
  static final ObjectMapper JSON = new ObjectMapper();
  /** Category folder → the parent class label a knowledge base would give. */
  static final Map<String, String> PARENT = Map.ofEntries(
      Map.entry("animals", "animal"), Map.entry("buildings", "building"), Map.entry("computer", "computer"),
      Map.entry("containers", "container"), Map.entry("decorations", "decoration"), Map.entry("education", "school item"),
      Map.entry("electronics", "electronic device"), Map.entry("food", "food"), Map.entry("geography", "map"),
      Map.entry("office", "office item"), Map.entry("people", "person"), Map.entry("plants", "plant"),
      Map.entry("recreation", "toy"), Map.entry("science", "science item"), Map.entry("signs_and_symbols", "sign"),
      Map.entry("tools", "tool"), Map.entry("transportation", "vehicle"));

  record Clip(String entityId, String title, String parent, BufferedImage argb) {}

  public static void main(String[] args) throws Exception {
    Path png = Path.of(args[0], "usr/share/openclipart/png");
    Path pairs = Path.of(args[1]);
    Path backgrounds = Path.of(args[2]);
    Path out = Path.of(args[3]);
    int perCount = Integer.parseInt(args[4]);
    Random random = new Random(Long.parseLong(args[5]));
    int minObjects = args.length > 7 ? Integer.parseInt(args[6]) : 1;
    int maxObjects = args.length > 7 ? Integer.parseInt(args[7]) : 3;

    List<Clip> clips = new ArrayList<>();
    for (String line : Files.readAllLines(pairs)) {
      JsonNode p = JSON.readTree(line);
      String rel = p.get("rel").asText();
      String parent = PARENT.get(rel.substring(0, rel.indexOf('/')));
      if (!p.get("split").asText().equals("heldout") || parent == null || !looksLikeAName(p.get("title").asText())) {
        continue;
      }
      BufferedImage image = ImageIO.read(png.resolve(rel).toFile());
      if (image == null || !image.getColorModel().hasAlpha() || transparentShare(image) < 0.1) {
        continue; // no usable alpha mask
      }
      clips.add(new Clip("openclipart:" + rel.replaceAll("\\.png$", ""), p.get("title").asText(), parent, image));
    }
    List<BufferedImage> walls = new ArrayList<>();
    try (Stream<Path> files = Files.list(backgrounds)) {
      for (Path f : files.filter(f -> f.toString().endsWith(".webp")).sorted().toList()) {
        BufferedImage w = ImageIO.read(f.toFile());
        if (w != null && w.getWidth() >= 1000) {
          walls.add(scaled(w, 1280, (int) Math.round(1280.0 * w.getHeight() / w.getWidth()), BufferedImage.TYPE_INT_RGB));
        }
      }
    }
    System.out.println(clips.size() + " held-out clip arts with alpha masks, " + walls.size() + " wallpapers");

    Files.createDirectories(out.resolve("images"));
    ObjectNode coco = JSON.createObjectNode();
    ArrayNode images = coco.putArray("images");
    ArrayNode annotations = coco.putArray("annotations");
    Map<String, Integer> categoryIds = new TreeMap<>();
    Map<String, Clip> used = new TreeMap<>();
    List<ObjectNode> rows = new ArrayList<>();
    int scene = 0;
    for (int objects = minObjects; objects <= maxObjects; objects++) {
      for (int n = 0; n < perCount; n++) {
        scene++;
        String file = String.format("images/scene-%05d-k%d.jpg", scene, objects);
        BufferedImage wall = walls.get(random.nextInt(walls.size()));
        BufferedImage canvas = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        int x0 = random.nextInt(wall.getWidth() - WIDTH * 2 + 1);
        int y0 = random.nextInt(Math.max(1, wall.getHeight() - HEIGHT * 2 + 1));
        g.drawImage(wall.getSubimage(x0, y0, WIDTH * 2, Math.min(HEIGHT * 2, wall.getHeight() - y0)), 0, 0, WIDTH, HEIGHT, null);
        List<Clip> chosen = new ArrayList<>();
        List<int[]> boxes = new ArrayList<>();
        while (!place(clips, objects, random, chosen, boxes)) {
          chosen.clear();
          boxes.clear();
        }
        int imageId = scene;
        images.addObject().put("id", imageId).put("file_name", file).put("height", HEIGHT).put("width", WIDTH);
        for (int k = 0; k < objects; k++) {
          Clip clip = chosen.get(k);
          int[] box = boxes.get(k);
          int w = box[2];
          int h = box[3];
          BufferedImage small = scaled(clip.argb(), w, h, BufferedImage.TYPE_INT_ARGB);
          g.drawImage(small, box[0], box[1], null);
          BinaryMask mask = new BinaryMask(WIDTH, HEIGHT);
          for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
              if ((small.getRGB(x, y) >>> 24) > 127) {
                mask.set(box[0] + x, box[1] + y, true);
              }
            }
          }
          used.put(clip.entityId(), clip);
          int categoryId = categoryIds.computeIfAbsent(clip.entityId(), id -> categoryIds.size() + 1);
          CocoRle.Rle rle = CocoRle.encode(mask);
          ObjectNode a = annotations.addObject().put("id", annotations.size()).put("image_id", imageId).put("category_id", categoryId).put("iscrowd", 0)
              .put("area", mask.area());
          ObjectNode seg = a.putObject("segmentation");
          seg.putArray("size").add(HEIGHT).add(WIDTH);
          seg.put("counts", rle.counts());
          ArrayNode bbox = a.putArray("bbox");
          for (int v : mask.bbox()) {
            bbox.add(v);
          }
          rows.add(JSON.createObjectNode().put("image", file).put("entity_id", clip.entityId()).put("entity_name", clip.title())
              .put("entity_type", clip.parent()).put("objects", objects));
        }
        g.dispose();
        writeJpeg(canvas, out.resolve(file).toFile());
      }
    }
    ArrayNode categories = coco.putArray("categories");
    categoryIds.forEach((entityId, id) -> categories.addObject().put("id", id).put("name", used.get(entityId).title()).put("entity_id", entityId));
    JSON.writerWithDefaultPrettyPrinter().writeValue(out.resolve("ground_truth.json").toFile(), coco);
    try (Writer w = Files.newBufferedWriter(out.resolve("rows.jsonl"), StandardCharsets.UTF_8)) {
      for (ObjectNode row : rows) {
        w.write(JSON.writeValueAsString(row) + "\n");
      }
    }
    try (Writer w = Files.newBufferedWriter(out.resolve("kb.jsonl"), StandardCharsets.UTF_8)) {
      for (Clip c : used.values()) {
        w.write(JSON.writeValueAsString(JSON.createObjectNode().put("entity_id", c.entityId()).put("parent", c.parent())) + "\n");
      }
    }
    System.out.println(scene + " scenes, " + rows.size() + " rows, " + used.size() + " entities → " + out);
  }

  /** Distinct titles, sizes 110–190 px on the longer side, boxes at least 6 px apart; false when they do not fit. */
  static boolean place(List<Clip> clips, int objects, Random random, List<Clip> chosen, List<int[]> boxes) {
    Set<String> titles = new HashSet<>();
    while (chosen.size() < objects) {
      Clip clip = clips.get(random.nextInt(clips.size()));
      if (!titles.add(clip.title().toLowerCase())) {
        continue;
      }
      int side = (int) Math.round((110 + random.nextInt(81)) * Math.min(1.0, Math.sqrt(3.0 / objects)));
      double s = (double) side / Math.max(clip.argb().getWidth(), clip.argb().getHeight());
      int w = Math.max(1, (int) Math.round(clip.argb().getWidth() * s));
      int h = Math.max(1, (int) Math.round(clip.argb().getHeight() * s));
      int[] box = null;
      for (int tries = 0; tries < 200 && box == null; tries++) {
        int[] b = {random.nextInt(WIDTH - w + 1), random.nextInt(HEIGHT - h + 1), w, h};
        if (boxes.stream().noneMatch(o -> overlaps(o, b, 6))) {
          box = b;
        }
      }
      if (box == null) {
        return false;
      }
      chosen.add(clip);
      boxes.add(box);
    }
    return true;
  }

  /** Leaves out titles that name no thing: collection labels, author credits, numbered file names, long sentences. */
  static boolean looksLikeAName(String title) {
    String t = title.strip();
    return t.chars().filter(Character::isLetter).count() >= 3 && t.chars().noneMatch(Character::isDigit) && t.split("\\s+").length <= 6
        && !t.toLowerCase().contains("collection") && !t.toLowerCase().contains("clipart by");
  }

  static double transparentShare(BufferedImage image) {
    long clear = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        if ((image.getRGB(x, y) >>> 24) <= 127) {
          clear++;
        }
      }
    }
    return (double) clear / ((long) image.getWidth() * image.getHeight());
  }

  static boolean overlaps(int[] a, int[] b, int gap) {
    return a[0] < b[0] + b[2] + gap && b[0] < a[0] + a[2] + gap && a[1] < b[1] + b[3] + gap && b[1] < a[1] + a[3] + gap;
  }

  static BufferedImage scaled(BufferedImage src, int w, int h, int type) {
    BufferedImage out = new BufferedImage(w, h, type);
    Graphics2D g = out.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
    g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
    BufferedImage s = src;
    while (s.getWidth() >= 2 * w * 2 && s.getHeight() >= 2 * h * 2) { // halve first so detail is averaged
      BufferedImage half = new BufferedImage(s.getWidth() / 2, s.getHeight() / 2, type);
      Graphics2D hg = half.createGraphics();
      hg.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      hg.drawImage(s, 0, 0, half.getWidth(), half.getHeight(), null);
      hg.dispose();
      s = half;
    }
    g.drawImage(s, 0, 0, w, h, null);
    g.dispose();
    return out;
  }

  static void writeJpeg(BufferedImage image, File file) throws Exception {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ImageWriteParam param = writer.getDefaultWriteParam();
    param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
    param.setCompressionQuality(0.9f);
    try (ImageOutputStream out = ImageIO.createImageOutputStream(file)) {
      writer.setOutput(out);
      writer.write(null, new IIOImage(image, null, null), param);
    } finally {
      writer.dispose();
    }
  }
}
