package dev.corpusforge.pipelines.graphsummary;

import java.io.Serializable;

/**
 * Column names of the node table (id, text, optional label) and the edge table (source, target).
 */
public record GraphColumns(
    String nodeId, String nodeText, String nodeLabel, String edgeSrc, String edgeDst)
    implements Serializable {}
