package dev.corpusforge.pipelines.som;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The streaming COCO reader. */
class CocoSourceTest {
  @Test
  void theCocoReaderStreamsAnyFieldOrderAndSkipsWhatItDoesNotUse() throws Exception {
    String json =
        "{\"info\": {\"x\": [1, {\"y\": 2}]}, \"annotations\": [{\"image_id\": 7, \"category_id\": 1, \"segmentation\": [[0, 0, 4, 0, 4, 4]]}],"
            + " \"licenses\": [], \"categories\": [{\"id\": 1, \"name\": \"cat\"}], \"images\": [{\"id\": 7, \"file_name\": \"a.jpg\"}]}";
    CocoSource.Parsed coco =
        CocoSource.parse(
            new java.io.ByteArrayInputStream(
                json.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    assertEquals(1, coco.images.size());
    assertEquals("cat", coco.categories.get("1"));
    assertEquals("[[0,0,4,0,4,4]]", coco.annotations.get("7").get(0)[1]);
    assertEquals(
        null,
        CocoSource.parse(
                new java.io.ByteArrayInputStream(
                    "{\"images\": 5}".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
            .images);
    assertThrows(
        java.io.IOException.class,
        () ->
            CocoSource.parse(
                new java.io.ByteArrayInputStream(
                    "{\"images\": [{\"id\": 1".getBytes(java.nio.charset.StandardCharsets.UTF_8))));
    assertThrows(
        java.io.IOException.class,
        () ->
            CocoSource.parse(
                new java.io.ByteArrayInputStream(
                    "[1, 2]".getBytes(java.nio.charset.StandardCharsets.UTF_8))));
  }
}
