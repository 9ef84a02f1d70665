import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Contact sheets for checking semantic duplicates by eye: each row a rejected image beside its
 * survivor, numbered, with their similarity; 25 pairs a sheet.
 *
 * <p>Usage: java bench/SemDedupSheets.java PAIRS.tsv OUT_DIR, where each line of PAIRS.tsv is
 * {@code rejected_path<TAB>survivor_path<TAB>similarity}.
 */
public class SemDedupSheets {
  static final int SIDE = 120;
  static final int PER_SHEET = 25;

  public static void main(String[] args) throws Exception {
    List<String> lines = Files.readAllLines(Path.of(args[0]));
    Path out = Path.of(args[1]);
    Files.createDirectories(out);
    int columns = 5;
    for (int sheet = 0; sheet * PER_SHEET < lines.size(); sheet++) {
      int n = Math.min(PER_SHEET, lines.size() - sheet * PER_SHEET);
      int rows = (n + columns - 1) / columns;
      BufferedImage img =
          new BufferedImage(columns * (2 * SIDE + 20), rows * (SIDE + 20), BufferedImage.TYPE_INT_RGB);
      Graphics2D g = img.createGraphics();
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, img.getWidth(), img.getHeight());
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      for (int i = 0; i < n; i++) {
        String[] f = lines.get(sheet * PER_SHEET + i).split("\t");
        int x = (i % columns) * (2 * SIDE + 20);
        int y = (i / columns) * (SIDE + 20);
        draw(g, f[0], x, y);
        draw(g, f[1], x + SIDE + 4, y);
        g.setColor(Color.BLACK);
        g.drawString((sheet * PER_SHEET + i + 1) + "  " + f[2], x + 2, y + SIDE + 14);
      }
      ImageIO.write(img, "png", out.resolve(String.format("sheet-%02d.png", sheet)).toFile());
    }
  }

  static void draw(Graphics2D g, String path, int x, int y) throws Exception {
    BufferedImage src = ImageIO.read(Path.of(path).toFile());
    if (src == null) {
      return;
    }
    double scale = Math.min((double) SIDE / src.getWidth(), (double) SIDE / src.getHeight());
    int w = (int) Math.max(1, src.getWidth() * scale);
    int h = (int) Math.max(1, src.getHeight() * scale);
    g.setColor(new Color(235, 235, 235));
    g.fillRect(x, y, SIDE, SIDE);
    g.drawImage(src, x, y, w, h, null);
  }
}
