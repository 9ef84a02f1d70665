import dev.corpusforge.filters.image.ImageCodec;
import dev.corpusforge.scorers.ImagePreprocess;
import java.awt.image.BufferedImage;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Exports openclipart image-caption pairs for training the clip-art dual encoder, with the
 * project's own decoding ({@link ImageCodec}: transparency over white) and preprocessing ({@link
 * ImagePreprocess}: shorter side to SIZE, centre crop), so the model is trained on exactly the
 * pixels it will see when the pipeline scores.
 *
 * <p>Usage: java -cp CLASSPATH ExportClipartPairs.java EXTRACTED_ROOT OUT_DIR SIZE
 * where EXTRACTED_ROOT holds usr/share/openclipart/{png,svg}. Writes OUT_DIR/pixels.u8 (SIZE×SIZE×3
 * bytes per pair, RGB, row-major) and OUT_DIR/pairs.jsonl (one line per pair, same order: rel,
 * md5, title, description, keywords, split). Exact duplicate images (same bytes in two category
 * folders) are exported once. One image in ten, chosen by the hash of its bytes, is held out.
 */
public class ExportClipartPairs {
  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0], "usr/share/openclipart");
    Path out = Path.of(args[1]);
    int size = Integer.parseInt(args[2]);
    Files.createDirectories(out);
    List<Path> pngs;
    try (Stream<Path> files = Files.walk(root.resolve("png"))) {
      pngs = files.filter(f -> f.toString().endsWith(".png")).sorted().toList();
    }
    Set<String> seen = new HashSet<>();
    int written = 0;
    int skipped = 0;
    try (OutputStream pixels = new BufferedOutputStream(Files.newOutputStream(out.resolve("pixels.u8")));
        Writer pairs = Files.newBufferedWriter(out.resolve("pairs.jsonl"), StandardCharsets.UTF_8)) {
      for (Path png : pngs) {
        byte[] bytes = Files.readAllBytes(png);
        byte[] digest = MessageDigest.getInstance("MD5").digest(bytes);
        String md5 = HexFormat.of().formatHex(digest);
        String rel = root.resolve("png").relativize(png).toString();
        Meta meta = meta(root.resolve("svg").resolve(rel.replaceAll("\\.png$", ".svg")));
        if (!seen.add(md5) || meta == null) {
          skipped++;
          continue;
        }
        BufferedImage square;
        try {
          square = ImagePreprocess.resizeAndCrop(ImageCodec.decodeRgb(bytes), size);
        } catch (Exception e) {
          skipped++;
          continue;
        }
        byte[] rgb = new byte[size * size * 3];
        for (int y = 0, i = 0; y < size; y++) {
          for (int x = 0; x < size; x++) {
            int p = square.getRGB(x, y);
            rgb[i++] = (byte) (p >> 16);
            rgb[i++] = (byte) (p >> 8);
            rgb[i++] = (byte) p;
          }
        }
        pixels.write(rgb);
        String split = Byte.toUnsignedInt(MessageDigest.getInstance("SHA-256").digest(md5.getBytes(StandardCharsets.US_ASCII))[0]) % 10 == 0 ? "heldout" : "train";
        pairs.write("{\"rel\":" + json(rel) + ",\"md5\":\"" + md5 + "\",\"title\":" + json(meta.title) + ",\"description\":" + json(meta.description)
            + ",\"keywords\":" + json(meta.keywords) + ",\"split\":\"" + split + "\"}\n");
        written++;
      }
    }
    System.out.println("exported " + written + " pairs (" + skipped + " duplicates, untitled or undecodable skipped) to " + out);
  }

  record Meta(String title, String description, String keywords) {}

  /** Dublin Core title, description and subject keywords of the SVG; null when it has no title. */
  static Meta meta(Path svg) {
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
      String title = text(direct(work, "title"));
      if (title.isBlank()) {
        return null;
      }
      List<String> keywords = new ArrayList<>();
      Node subject = direct(work, "subject");
      if (subject instanceof Element s) {
        NodeList items = s.getElementsByTagNameNS("http://www.w3.org/1999/02/22-rdf-syntax-ns#", "li");
        for (int i = 0; i < items.getLength(); i++) {
          String k = items.item(i).getTextContent().strip();
          if (!k.isEmpty()) {
            keywords.add(k);
          }
        }
      }
      return new Meta(title, text(direct(work, "description")), String.join(" ", keywords));
    } catch (Exception e) {
      return null;
    }
  }

  private static Node direct(Element work, String name) {
    NodeList children = work.getChildNodes();
    for (int i = 0; i < children.getLength(); i++) {
      if (children.item(i) instanceof Element e && "http://purl.org/dc/elements/1.1/".equals(e.getNamespaceURI()) && name.equals(e.getLocalName())) {
        return e;
      }
    }
    return null;
  }

  private static String text(Node node) {
    return node == null ? "" : node.getTextContent().strip().replaceAll("\\s+", " ");
  }

  private static String json(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
