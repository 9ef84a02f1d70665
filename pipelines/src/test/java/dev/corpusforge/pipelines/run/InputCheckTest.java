package dev.corpusforge.pipelines.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Folders given through symbolic links are checked as the readers read them: links followed; a
 * table given twice, compressed and not, is refused.
 */
class InputCheckTest {
  @TempDir Path tmp;

  @Test
  void foldersAreWalkedThroughLinksAndLoopsAreNamed() throws Exception {
    Path docs = Files.createDirectories(tmp.resolve("docs"));
    Files.writeString(docs.resolve("a.txt"), "text");
    assertNull(InputCheck.problem(docs.toString()));
    Path link = Files.createSymbolicLink(tmp.resolve("docs-link"), docs);
    assertNull(InputCheck.problem(link.toString()), "a folder given as a link");
    Path outer = Files.createDirectories(tmp.resolve("outer"));
    Files.createSymbolicLink(outer.resolve("inner"), docs);
    assertNull(InputCheck.problem(outer.toString()), "a folder holding a link to one");

    Path empty = Files.createDirectories(tmp.resolve("empty"));
    assertEquals("is an empty folder", InputCheck.problem(empty.toString()));
    Path looped = Files.createDirectories(tmp.resolve("looped"));
    Files.createSymbolicLink(looped.resolve("again"), looped);
    String loop = InputCheck.problem(looped.toString());
    assertTrue(loop != null && loop.startsWith("holds a loop of symbolic links"), loop);
  }

  @Test
  void aTableCompressedAndNotIsRefusedAndItsRowsKeepTheirIds() throws Exception {
    Path docs = Files.createDirectories(tmp.resolve("twins"));
    Files.writeString(docs.resolve("a.jsonl"), "{}");
    Files.writeString(docs.resolve("b.jsonl.gz"), "");
    RunFingerprint.of(
        "decompose",
        com.fasterxml.jackson.databind.node.NullNode.instance,
        java.util.List.of(docs.toString()));
    Files.writeString(docs.resolve("a.jsonl.zst"), "");
    IllegalArgumentException twins =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () ->
                RunFingerprint.of(
                    "decompose",
                    com.fasterxml.jackson.databind.node.NullNode.instance,
                    java.util.List.of(docs.toString())));
    assertTrue(
        twins.getMessage().contains("a.jsonl and ")
            && twins.getMessage().contains("a.jsonl.zst are the same table"),
        twins.getMessage());
    // the reason for the refusal: a row's id does not depend on the compression
    assertEquals(
        dev.corpusforge.core.read.TableFiles.sampleId("/d/a.jsonl#3"),
        dev.corpusforge.core.read.TableFiles.sampleId("/d/a.jsonl.zst#3"));
    assertEquals(
        dev.corpusforge.core.read.TableFiles.sampleId("s3://b/x.txt"),
        dev.corpusforge.core.read.TableFiles.sampleId("s3://b/x.txt.gz"));
    assertTrue(
        !dev.corpusforge.core.read.TableFiles.sampleId("/d/a.jsonl#3")
            .equals(dev.corpusforge.core.read.TableFiles.sampleId("/d/a.jsonl#4")));
  }

  @Test
  void filesAConfigReadsAreFingerprintedWithTheInputs() throws Exception {
    Path docs = Files.createDirectories(tmp.resolve("docs"));
    Files.writeString(docs.resolve("a.jsonl"), "{}");
    Path evals = Files.writeString(tmp.resolve("evals.jsonl"), "{\"q\": \"one\"}");
    var config = com.fasterxml.jackson.databind.node.NullNode.instance;
    RunFingerprint before =
        RunFingerprint.of(
            "decompose",
            config,
            java.util.List.of(docs.toString()),
            java.util.List.of(evals.toString()));
    Files.writeString(evals, "{\"q\": \"one, and a second question\"}");
    RunFingerprint after =
        RunFingerprint.of(
            "decompose",
            config,
            java.util.List.of(docs.toString()),
            java.util.List.of(evals.toString()));
    java.util.List<String> differences = RunFingerprint.differences(before.json(), after.json());
    assertEquals(1, differences.size(), differences.toString());
    assertTrue(
        differences.get(0).startsWith("input file " + evals.toAbsolutePath() + " changed"),
        differences.toString());
  }
}
