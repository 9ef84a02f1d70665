package dev.corpusforge.pipelines.graphsummary;

import java.io.Serializable;

/** An edge row as read; direction is kept but the graph is undirected. */
record GraphEdge(String src, String dst) implements Serializable {}
