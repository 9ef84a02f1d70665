package dev.corpusforge.annotators.region;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Class-agnostic region proposals by hierarchical grouping (selective search, Uijlings et al.
 * 2013): start from an over-segmentation, repeatedly merge the two adjacent regions that are most
 * alike (colour-histogram intersection + small size + filling each other's box, each in [0, 1]),
 * and keep every region made on the way. Deterministic: ties go to the pair with the smaller ids.
 */
public final class RegionGrouping {
  private static final int BINS = 8;

  private RegionGrouping() {}

  /** A proposal: the over-segmentation labels it is made of, its pixel count and box. */
  public record Proposal(BitSet labels, long area, int[] box) {
    public BinaryMask mask(Superpixels.Labels segments) {
      BinaryMask m = new BinaryMask(segments.width(), segments.height());
      for (int y = box[1]; y < box[1] + box[3]; y++) {
        for (int x = box[0]; x < box[0] + box[2]; x++) {
          if (labels.get(segments.at(x, y))) {
            m.set(x, y, true);
          }
        }
      }
      return m;
    }
  }

  private static final class Region {
    final BitSet labels = new BitSet();
    final float[] hist = new float[3 * BINS];
    final BitSet neighbours = new BitSet();
    long area;
    int minX = Integer.MAX_VALUE;
    int minY = Integer.MAX_VALUE;
    int maxX = -1;
    int maxY = -1;
    boolean alive = true;

    long boxArea() {
      return (long) (maxX - minX + 1) * (maxY - minY + 1);
    }
  }

  private record Pair(int a, int b, double similarity) {}

  /** Every region of the grouping: the segments first, then each merge in order. */
  public static List<Proposal> proposals(
      java.awt.image.BufferedImage rgb, Superpixels.Labels segments) {
    int w = segments.width();
    int h = segments.height();
    long total = (long) w * h;
    List<Region> regions = new ArrayList<>();
    for (int i = 0; i < segments.count(); i++) {
      Region r = new Region();
      r.labels.set(i);
      regions.add(r);
    }
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int l = segments.at(x, y);
        Region r = regions.get(l);
        int v = rgb.getRGB(x, y);
        r.hist[((v >> 16) & 0xff) * BINS / 256]++;
        r.hist[BINS + ((v >> 8) & 0xff) * BINS / 256]++;
        r.hist[2 * BINS + (v & 0xff) * BINS / 256]++;
        r.area++;
        r.minX = Math.min(r.minX, x);
        r.minY = Math.min(r.minY, y);
        r.maxX = Math.max(r.maxX, x);
        r.maxY = Math.max(r.maxY, y);
        if (x + 1 < w && segments.at(x + 1, y) != l) {
          link(regions, l, segments.at(x + 1, y));
        }
        if (y + 1 < h && segments.at(x, y + 1) != l) {
          link(regions, l, segments.at(x, y + 1));
        }
      }
    }
    for (Region r : regions) {
      if (r.area > 0) {
        for (int i = 0; i < r.hist.length; i++) {
          r.hist[i] /= 3f * r.area;
        }
      }
    }
    PriorityQueue<Pair> queue =
        new PriorityQueue<>(
            (p, q) ->
                p.similarity() != q.similarity()
                    ? Double.compare(q.similarity(), p.similarity())
                    : p.a() != q.a()
                        ? Integer.compare(p.a(), q.a())
                        : Integer.compare(p.b(), q.b()));
    for (int a = 0; a < regions.size(); a++) {
      for (int b = regions.get(a).neighbours.nextSetBit(a + 1);
          b >= 0;
          b = regions.get(a).neighbours.nextSetBit(b + 1)) {
        queue.add(new Pair(a, b, similarity(regions.get(a), regions.get(b), total)));
      }
    }
    while (!queue.isEmpty()) {
      Pair p = queue.poll();
      Region a = regions.get(p.a());
      Region b = regions.get(p.b());
      if (!a.alive || !b.alive) {
        continue;
      }
      Region m = merge(a, b);
      int id = regions.size();
      regions.add(m);
      a.alive = false;
      b.alive = false;
      m.neighbours.clear(p.a());
      m.neighbours.clear(p.b());
      for (int n = m.neighbours.nextSetBit(0); n >= 0; n = m.neighbours.nextSetBit(n + 1)) {
        Region other = regions.get(n);
        if (!other.alive) {
          m.neighbours.clear(n);
          continue;
        }
        other.neighbours.set(id);
        queue.add(new Pair(n, id, similarity(other, m, total)));
      }
    }
    List<Proposal> out = new ArrayList<>(regions.size());
    for (Region r : regions) {
      if (r.area > 0) {
        out.add(
            new Proposal(
                r.labels,
                r.area,
                new int[] {r.minX, r.minY, r.maxX - r.minX + 1, r.maxY - r.minY + 1}));
      }
    }
    return out;
  }

  private static void link(List<Region> regions, int a, int b) {
    regions.get(a).neighbours.set(b);
    regions.get(b).neighbours.set(a);
  }

  private static double similarity(Region a, Region b, long total) {
    double colour = 0;
    for (int i = 0; i < a.hist.length; i++) {
      colour += Math.min(a.hist[i], b.hist[i]);
    }
    double size = 1 - (double) (a.area + b.area) / total;
    long bw = Math.max(a.maxX, b.maxX) - Math.min(a.minX, b.minX) + 1;
    long bh = Math.max(a.maxY, b.maxY) - Math.min(a.minY, b.minY) + 1;
    double fill = 1 - (double) (bw * bh - a.area - b.area) / total;
    return colour + size + fill;
  }

  private static Region merge(Region a, Region b) {
    Region m = new Region();
    m.labels.or(a.labels);
    m.labels.or(b.labels);
    m.area = a.area + b.area;
    for (int i = 0; i < m.hist.length; i++) {
      m.hist[i] = (a.hist[i] * a.area + b.hist[i] * b.area) / m.area;
    }
    m.neighbours.or(a.neighbours);
    m.neighbours.or(b.neighbours);
    m.minX = Math.min(a.minX, b.minX);
    m.minY = Math.min(a.minY, b.minY);
    m.maxX = Math.max(a.maxX, b.maxX);
    m.maxY = Math.max(a.maxY, b.maxY);
    return m;
  }
}
