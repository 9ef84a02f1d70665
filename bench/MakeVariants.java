import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Makes N distinct variants of an image-caption folder, for measuring CPU per record at 1×, 2×, 4×
 * the input without the copies being duplicates of each other: variant 1 is each PNG re-encoded as
 * it is, variant 2 mirrored left-right, 3 upside down, 4 both (so neither pixel hashes nor
 * perceptual hashes repeat across variants, and every variant decodes at the same cost), each
 * caption with a few words of its variant appended (so no two captions of different variants are
 * the same text).
 *
 * <p>Usage: {@code java bench/MakeVariants.java SRC DST N} (N ≤ 4) writes DST/v1 … DST/vN.
 */
public class MakeVariants {
  private static final String[] SUFFIX = {"", " again", " once more", " one more time"};

  public static void main(String[] args) throws Exception {
    Path src = Path.of(args[0]);
    Path dst = Path.of(args[1]);
    int n = Integer.parseInt(args[2]);
    if (n < 1 || n > 4) {
      throw new IllegalArgumentException("N is 1 to 4");
    }
    List<Path> pngs;
    try (Stream<Path> s = Files.list(src)) {
      pngs = s.filter(p -> p.toString().endsWith(".png")).sorted().toList();
    }
    AtomicInteger skipped = new AtomicInteger();
    for (int v = 1; v <= n; v++) {
      Path out = Files.createDirectories(dst.resolve("v" + v));
      int variant = v;
      pngs.parallelStream()
          .forEach(
              png -> {
                try {
                  BufferedImage image = ImageIO.read(png.toFile());
                  if (image == null) {
                    skipped.incrementAndGet();
                    return;
                  }
                  String name = png.getFileName().toString();
                  String stem = name.substring(0, name.length() - 4);
                  ImageIO.write(flipped(image, variant), "png", out.resolve(name).toFile());
                  Path caption = png.resolveSibling(stem + ".txt");
                  if (Files.exists(caption)) {
                    String text = Files.readString(caption, StandardCharsets.UTF_8).strip();
                    Files.writeString(
                        out.resolve(stem + ".txt"), text + SUFFIX[variant - 1] + "\n");
                  }
                } catch (IOException e) {
                  skipped.incrementAndGet();
                }
              });
    }
    System.out.println(pngs.size() + " images × " + n + " variants, " + skipped + " skipped");
  }

  static BufferedImage flipped(BufferedImage image, int variant) {
    boolean mirror = variant == 2 || variant == 4;
    boolean upsideDown = variant == 3 || variant == 4;
    if (!mirror && !upsideDown) {
      return image;
    }
    // the same colour model and sample layout (palette, grey, 16 bits), pixels moved as they are
    java.awt.image.Raster in = image.getRaster();
    java.awt.image.WritableRaster moved = in.createCompatibleWritableRaster();
    int w = image.getWidth();
    int h = image.getHeight();
    Object pixel = null;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        pixel = in.getDataElements(x, y, pixel);
        moved.setDataElements(mirror ? w - 1 - x : x, upsideDown ? h - 1 - y : y, pixel);
      }
    }
    BufferedImage out =
        new BufferedImage(image.getColorModel(), moved, image.isAlphaPremultiplied(), null);
    return out;
  }
}
