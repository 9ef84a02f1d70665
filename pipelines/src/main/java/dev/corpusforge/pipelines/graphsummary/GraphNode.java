package dev.corpusforge.pipelines.graphsummary;

import java.io.Serializable;

/**
 * A node row as read: {@code ref} is where ({@code file#row}), {@code text} may be empty, {@code
 * label} null.
 */
record GraphNode(String ref, String id, String text, String label) implements Serializable {
  /** File order: by file, then row number (numerically). */
  static int compareRefs(String a, String b) {
    int ha = a.lastIndexOf('#');
    int hb = b.lastIndexOf('#');
    int byFile = a.substring(0, ha).compareTo(b.substring(0, hb));
    return byFile != 0
        ? byFile
        : Long.compare(Long.parseLong(a.substring(ha + 1)), Long.parseLong(b.substring(hb + 1)));
  }
}
