package dev.corpusforge.annotators.som;

import dev.corpusforge.annotators.region.BinaryMask;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.List;

/**
 * COCO polygon segmentations ({@code [[x1, y1, x2, y2, …], …]}) as masks: each polygon filled
 * (even–odd, no anti-aliasing: a pixel is in when its centre is), the polygons of one object
 * united. Points outside the frame are clipped.
 */
public final class PolygonMasks {
  private PolygonMasks() {}

  /**
   * @throws IllegalArgumentException for a polygon of fewer than three points or an odd count of
   *     coordinates
   */
  public static BinaryMask fill(List<double[]> polygons, int width, int height) {
    BufferedImage canvas = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = canvas.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
      g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
      g.setColor(Color.WHITE);
      for (double[] p : polygons) {
        if (p.length < 6 || p.length % 2 != 0) {
          throw new IllegalArgumentException(
              "a polygon needs an even number of coordinates, at least 6, not " + p.length);
        }
        Path2D.Double path = new Path2D.Double(Path2D.WIND_EVEN_ODD);
        path.moveTo(p[0], p[1]);
        for (int i = 2; i < p.length; i += 2) {
          if (!Double.isFinite(p[i]) || !Double.isFinite(p[i + 1])) {
            throw new IllegalArgumentException("a polygon coordinate is not a finite number");
          }
          path.lineTo(p[i], p[i + 1]);
        }
        path.closePath();
        g.fill(path);
      }
    } finally {
      g.dispose();
    }
    byte[] px = ((DataBufferByte) canvas.getRaster().getDataBuffer()).getData();
    BinaryMask mask = new BinaryMask(width, height);
    for (int i = 0; i < px.length; i++) {
      if (px[i] != 0) {
        mask.set(i, true);
      }
    }
    return mask;
  }
}
