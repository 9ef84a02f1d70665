import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Builds a small image-text sample from Debian's openclipart-png and openclipart-svg packages:
 * PNGs with a sidecar .txt caption made from the SVG's Dublin Core title and description.
 *
 * <p>Usage: java MakeImageTextSample.java EXTRACTED_ROOT OUT_DIR [--large COUNT]
 * where EXTRACTED_ROOT holds usr/share/openclipart/{png,svg}. The selection is deterministic:
 * every n-th file of the sorted candidates in each group (kept-size images, images under 200 px,
 * wide images, exact duplicates across category folders), so a rebuild gives the same sample.
 * {@code --large COUNT} picks COUNT images of any size instead (for end-to-end checks and the
 * benchmark; not committed).
 */
public class MakeImageTextSample {
  record Png(Path path, String rel, int width, int height, long bytes, String md5) {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0], "usr/share/openclipart");
    Path out = Path.of(args[1]);
    int large = args.length > 3 && args[2].equals("--large") ? Integer.parseInt(args[3]) : 0;
    List<Png> all = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root.resolve("png"))) {
      for (Path p : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".png")).sorted()::iterator) {
        byte[] bytes = Files.readAllBytes(p);
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, 16, 8));
        int w = in.readInt();
        int h = in.readInt();
        String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        all.add(new Png(p, root.resolve("png").relativize(p).toString(), w, h, bytes.length, md5));
      }
    }
    Map<String, Png> chosen = new TreeMap<>();
    if (large > 0) {
      List<Png> small = all.stream().filter(p -> p.bytes() < 400_000).toList();
      every(small, large, chosen);
    } else {
      every(all.stream().filter(p -> ok(p) && p.bytes() < 30_000).toList(), 60, chosen);
      every(all.stream().filter(p -> Math.min(p.width(), p.height()) < 200 && p.bytes() < 10_000).toList(), 10, chosen);
      every(all.stream().filter(p -> Math.min(p.width(), p.height()) >= 200 && aspect(p) > 3 && p.bytes() < 30_000).toList(), 5, chosen);
      Map<String, List<Png>> byMd5 = new LinkedHashMap<>();
      for (Png p : all) {
        byMd5.computeIfAbsent(p.md5(), k -> new ArrayList<>()).add(p);
      }
      List<List<Png>> dups = byMd5.values().stream().filter(g -> g.size() > 1 && ok(g.get(0)) && g.get(0).bytes() < 30_000).toList();
      for (int i = 0; i < dups.size() && i < 5 * (dups.size() / 5); i += Math.max(1, dups.size() / 5)) {
        for (Png p : dups.get(i)) {
          chosen.put(p.rel(), p);
        }
      }
    }
    int written = 0;
    for (Png p : chosen.values()) {
      Path svg = root.resolve("svg").resolve(p.rel().replaceAll("\\.png$", ".svg"));
      String caption = caption(svg);
      Path target = out.resolve(p.rel());
      Files.createDirectories(target.getParent());
      Files.copy(p.path(), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      if (caption != null) {
        Files.writeString(target.resolveSibling(target.getFileName().toString().replaceAll("\\.png$", ".txt")), caption + "\n", StandardCharsets.UTF_8);
      }
      written++;
    }
    System.out.println("wrote " + written + " images to " + out);
  }

  static boolean ok(Png p) {
    return Math.min(p.width(), p.height()) >= 200 && aspect(p) <= 3;
  }

  static double aspect(Png p) {
    return (double) Math.max(p.width(), p.height()) / Math.max(1, Math.min(p.width(), p.height()));
  }

  static void every(List<Png> candidates, int count, Map<String, Png> chosen) {
    if (candidates.isEmpty()) {
      return;
    }
    int step = Math.max(1, candidates.size() / count);
    for (int i = 0, n = 0; i < candidates.size() && n < count; i += step, n++) {
      chosen.put(candidates.get(i).rel(), candidates.get(i));
    }
  }

  /** "Title. Description" from the SVG's Dublin Core metadata; null when the SVG has no title. */
  static String caption(Path svg) {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setNamespaceAware(true);
      f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
      Document doc = f.newDocumentBuilder().parse(svg.toFile());
      NodeList works = doc.getElementsByTagNameNS("http://web.resource.org/cc/", "Work");
      if (works.getLength() == 0) {
        return null;
      }
      Element work = (Element) works.item(0);
      String title = direct(work, "title");
      String description = direct(work, "description");
      if (title == null || title.isBlank()) {
        return null;
      }
      title = title.strip();
      if (description == null || description.isBlank() || description.strip().equalsIgnoreCase(title)) {
        return title;
      }
      return title + ". " + description.strip().replaceAll("\\s+", " ");
    } catch (Exception e) {
      return null;
    }
  }

  private static String direct(Element work, String name) {
    NodeList children = work.getChildNodes();
    for (int i = 0; i < children.getLength(); i++) {
      if (children.item(i) instanceof Element e && "http://purl.org/dc/elements/1.1/".equals(e.getNamespaceURI()) && name.equals(e.getLocalName())) {
        return e.getTextContent();
      }
    }
    return null;
  }
}
