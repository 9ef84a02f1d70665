package dev.corpusforge.pipelines.graphsummary;

import dev.corpusforge.core.output.StatsLines;
import dev.corpusforge.pipelines.report.Thumbnail;
import dev.corpusforge.schemas.GraphSummarySample;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * Report previews of kept samples: the subgraph drawn small (the seed in red at the centre, the
 * other nodes on rings by their hop distance from it) next to its summary.
 */
final class GraphPreview {
  private static final int SIDE = Thumbnail.SIDE;

  private GraphPreview() {}

  /** Orders by sample id, largest first, so {@code Top.of} keeps the smallest ids. */
  static final class ReverseIdOrder implements Comparator<GraphSummarySample>, Serializable {
    @Override
    public int compare(GraphSummarySample a, GraphSummarySample b) {
      return b.getSampleId().compareTo(a.getSampleId());
    }
  }

  static final class PreviewFn extends DoFn<List<GraphSummarySample>, String> {
    @ProcessElement
    public void process(@Element List<GraphSummarySample> samples, OutputReceiver<String> out) {
      for (GraphSummarySample s : samples) {
        String summary =
            s.getSummary().length() > 400 ? s.getSummary().substring(0, 400) + "…" : s.getSummary();
        String facts =
            String.format(
                Locale.ROOT,
                "%s · %d nodes · %d edges%s",
                s.getSeedNode(),
                s.getNodeIds().size(),
                s.getEdgeSrc().size(),
                s.getAlignScore() == null
                    ? ""
                    : String.format(Locale.ROOT, " · align %.3f", s.getAlignScore()));
        out.output(
            StatsLines.line("preview")
                .put("status", "kept")
                .put("sample_id", s.getSampleId())
                .put("source", s.getSeedNode())
                .put("caption", summary)
                .put("facts", facts)
                .put(
                    "thumbnail",
                    Thumbnail.base64Jpeg(
                        draw(s.getNodeIds().size(), s.getEdgeSrc(), s.getEdgeDst())))
                .toString());
      }
    }
  }

  /** Nodes on rings by hop distance from node 0, edges as lines. */
  static BufferedImage draw(int n, List<Integer> src, List<Integer> dst) {
    int[] hops = new int[n];
    java.util.Arrays.fill(hops, -1);
    hops[0] = 0;
    ArrayDeque<Integer> queue = new ArrayDeque<>(List.of(0));
    while (!queue.isEmpty()) {
      int v = queue.poll();
      for (int e = 0; e < src.size(); e++) {
        int w = src.get(e) == v ? dst.get(e) : dst.get(e) == v ? src.get(e) : -1;
        if (w >= 0 && hops[w] < 0) {
          hops[w] = hops[v] + 1;
          queue.add(w);
        }
      }
    }
    int rings = java.util.Arrays.stream(hops).max().orElse(0);
    int[] onRing = new int[rings + 2];
    for (int h : hops) {
      onRing[Math.max(h, 0)]++;
    }
    double[] x = new double[n];
    double[] y = new double[n];
    int[] placed = new int[rings + 2];
    double c = SIDE / 2.0;
    for (int v = 0; v < n; v++) {
      int h = Math.max(hops[v], 0);
      double radius = h == 0 ? 0 : (SIDE / 2.0 - 10) * h / Math.max(1, rings);
      double angle = 2 * Math.PI * placed[h]++ / Math.max(1, onRing[h]) + h * 0.5;
      x[v] = c + radius * Math.cos(angle);
      y[v] = c + radius * Math.sin(angle);
    }
    BufferedImage img = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, SIDE, SIDE);
    g.setColor(new Color(0x99, 0x99, 0x99));
    g.setStroke(new BasicStroke(1f));
    for (int e = 0; e < src.size(); e++) {
      g.drawLine(
          (int) x[src.get(e)], (int) y[src.get(e)], (int) x[dst.get(e)], (int) y[dst.get(e)]);
    }
    for (int v = n - 1; v >= 0; v--) {
      int r = v == 0 ? 6 : 4;
      g.setColor(v == 0 ? new Color(0xc0, 0x30, 0x30) : new Color(0x4a, 0x7f, 0xb5));
      g.fillOval((int) x[v] - r, (int) y[v] - r, 2 * r, 2 * r);
    }
    g.dispose();
    return img;
  }
}
