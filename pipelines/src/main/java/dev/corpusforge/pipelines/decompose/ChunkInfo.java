package dev.corpusforge.pipelines.decompose;

import java.io.Serializable;

/**
 * What the statistics, the accounting and the export's numbering need of a chunk — everything but
 * its tokens — so those steps never read the token payloads.
 */
record ChunkInfo(String sampleId, String documentSampleId, int bucket, int length)
    implements Serializable {}
