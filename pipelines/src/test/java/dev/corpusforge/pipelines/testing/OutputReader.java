package dev.corpusforge.pipelines.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.Type;

/**
 * Reads a run's outputs back for assertions, with readers other than the writers: Parquet through
 * parquet-hadoop's example Group API (not Avro, not Beam), tars through commons-compress.
 */
public final class OutputReader {
  private OutputReader() {}

  /**
   * All rows of all {@code part-*.parquet} files in {@code dir}, as column name → value (strings,
   * numbers, byte arrays, lists, records as maps: an image struct as {@code {bytes, path}}).
   * Reading a run's {@code rejects/} also checks that the READMEs list every reason in it ({@link
   * DocumentedReasons}).
   */
  public static List<Map<String, Object>> parquetRows(Path dir) throws IOException {
    List<Map<String, Object>> rows = readParquet(dir);
    if (dir.getFileName() != null && dir.getFileName().toString().equals("rejects")) {
      rows.forEach(
          r ->
              DocumentedReasons.assertListed(
                  String.valueOf(r.get("stage")), String.valueOf(r.get("reason"))));
    }
    return rows;
  }

  private static List<Map<String, Object>> readParquet(Path dir) throws IOException {
    List<Map<String, Object>> rows = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return rows;
    }
    List<Path> parts;
    try (Stream<Path> files = Files.list(dir)) {
      parts =
          files
              .filter(
                  f ->
                      f.getFileName().toString().startsWith("part-")
                          && f.toString().endsWith(".parquet"))
              .sorted()
              .toList();
    }
    for (Path part : parts) {
      rows.addAll(parquetFile(part));
    }
    return rows;
  }

  /** The rows of one Parquet file, read with Parquet's example (Group) reader. */
  public static List<Map<String, Object>> parquetFile(Path part) throws IOException {
    try (org.apache.parquet.hadoop.ParquetFileReader footer =
        org.apache.parquet.hadoop.ParquetFileReader.open(
            org.apache.parquet.hadoop.util.HadoopInputFile.fromPath(
                new org.apache.hadoop.fs.Path(part.toUri()), new Configuration()))) {
      assertNoMap(footer.getFooter().getFileMetaData().getSchema(), part);
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    try (ParquetReader<Group> reader =
        ParquetReader.builder(new GroupReadSupport(), new org.apache.hadoop.fs.Path(part.toUri()))
            .withConf(new Configuration())
            .build()) {
      Group g;
      while ((g = reader.read()) != null) {
        rows.add(toMap(g));
      }
    }
    return rows;
  }

  /**
   * Every output must load in Hugging Face {@code datasets}, which cannot load a Parquet map column
   * (huggingface/datasets#5612): outputs hold lists of structs instead.
   */
  private static void assertNoMap(GroupType type, Path part) {
    for (Type field : type.getFields()) {
      if (field.getLogicalTypeAnnotation()
          instanceof org.apache.parquet.schema.LogicalTypeAnnotation.MapLogicalTypeAnnotation) {
        throw new AssertionError("a Parquet MAP column in " + part + ": " + field);
      }
      if (!field.isPrimitive()) {
        assertNoMap(field.asGroupType(), part);
      }
    }
  }

  private static Map<String, Object> toMap(Group g) {
    Map<String, Object> row = new LinkedHashMap<>();
    GroupType type = g.getType();
    for (int i = 0; i < type.getFieldCount(); i++) {
      row.put(type.getType(i).getName(), g.getFieldRepetitionCount(i) == 0 ? null : value(g, i, 0));
    }
    return row;
  }

  /**
   * One value of field {@code i}: a primitive as its Java value, a list (parquet-avro's layout: a
   * LIST group with one repeated field) as a {@code List}, a record as a {@code Map}.
   */
  private static Object value(Group g, int i, int j) {
    Type field = g.getType().getType(i);
    if (!field.isPrimitive()) {
      Group inner = g.getGroup(i, j);
      if (field.getLogicalTypeAnnotation()
          instanceof org.apache.parquet.schema.LogicalTypeAnnotation.ListLogicalTypeAnnotation) {
        List<Object> values = new ArrayList<>();
        for (int k = 0; k < inner.getFieldRepetitionCount(0); k++) {
          values.add(value(inner, 0, k));
        }
        return values;
      }
      return toMap(inner);
    }
    return switch (field.asPrimitiveType().getPrimitiveTypeName()) {
      case INT32 -> g.getInteger(i, j);
      case INT64 -> g.getLong(i, j);
      case DOUBLE -> g.getDouble(i, j);
      case FLOAT -> g.getFloat(i, j);
      case BOOLEAN -> g.getBoolean(i, j);
      case BINARY ->
          field.getLogicalTypeAnnotation() != null
              ? g.getString(i, j)
              : g.getBinary(i, j).getBytes();
      default -> g.getValueToString(i, j);
    };
  }

  /**
   * For every reject row under {@code dir}: the last path segment of its source → {@code
   * stage/reason}.
   */
  public static Map<String, String> rejectReasonsByName(Path dir) throws IOException {
    Map<String, String> byName = new HashMap<>();
    for (Map<String, Object> r : parquetRows(dir)) {
      String source = (String) r.get("source");
      byName.put(
          source.substring(source.lastIndexOf('/') + 1), r.get("stage") + "/" + r.get("reason"));
    }
    return byName;
  }

  /** Members of every {@code .tar} under {@code dir}: member name → bytes. */
  public static Map<String, byte[]> tarMembers(Path dir) throws IOException {
    Map<String, byte[]> members = new HashMap<>();
    List<Path> tars;
    try (Stream<Path> files = Files.list(dir)) {
      tars = files.filter(f -> f.toString().endsWith(".tar")).sorted().toList();
    }
    for (Path tar : tars) {
      members.putAll(membersOf(tar));
    }
    return members;
  }

  /** Members of one {@code .tar}: member name → bytes. */
  public static Map<String, byte[]> membersOf(Path tar) throws IOException {
    Map<String, byte[]> members = new HashMap<>();
    try (InputStream in = Files.newInputStream(tar);
        TarArchiveInputStream t = new TarArchiveInputStream(in)) {
      TarArchiveEntry e;
      while ((e = t.getNextEntry()) != null) {
        members.put(e.getName(), t.readAllBytes());
      }
    }
    return members;
  }

  /** The files of {@code dir} whose names end in {@code suffix}, sorted. */
  public static List<Path> files(Path dir, String suffix) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(suffix)).sorted().toList();
    }
  }

  /**
   * Whether python3 with numpy is here to read {@code .npy} exports back. CI installs it ({@code
   * .ci/run}), so under CI its absence fails the test rather than skipping the check.
   */
  public static boolean numpy() throws IOException, InterruptedException {
    boolean here = new ProcessBuilder("python3", "-c", "import numpy").start().waitFor() == 0;
    if (System.getenv("CI") != null && !here) {
      throw new AssertionError(
          "CI installs python3-numpy (.ci/run); the check must not be skipped");
    }
    return here;
  }

  /**
   * The YAML header of a dataset card ({@code README.md} between its {@code ---} lines) as JSON,
   * parsed by Python's PyYAML as the Hugging Face Hub's tools do. CI installs python3-yaml ({@code
   * .ci/run}); elsewhere, without it, Jackson's YAML reader parses it instead.
   */
  public static com.fasterxml.jackson.databind.JsonNode cardHeader(Path card)
      throws IOException, InterruptedException {
    String text = Files.readString(card);
    if (!text.startsWith("---\n") || text.indexOf("\n---\n", 4) < 0) {
      throw new AssertionError("no YAML header between --- lines in " + card);
    }
    String header = text.substring(4, text.indexOf("\n---\n", 4) + 1);
    boolean pyyaml = new ProcessBuilder("python3", "-c", "import yaml").start().waitFor() == 0;
    if (!pyyaml) {
      if (System.getenv("CI") != null) {
        throw new AssertionError(
            "CI installs python3-yaml (.ci/run); the check must not be skipped");
      }
      return new com.fasterxml.jackson.databind.ObjectMapper(
              new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
          .readTree(header);
    }
    Process p =
        new ProcessBuilder(
                "python3",
                "-c",
                "import json, sys, yaml; print(json.dumps(yaml.safe_load(sys.stdin.read())))")
            .start();
    p.getOutputStream().write(header.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String json =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    String err =
        new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new AssertionError("PyYAML cannot read the card's header: " + err);
    }
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
  }

  /** The footer of one Parquet file: its schema and key-value metadata. */
  public static org.apache.parquet.hadoop.metadata.FileMetaData parquetFooter(Path part)
      throws IOException {
    try (org.apache.parquet.hadoop.ParquetFileReader footer =
        org.apache.parquet.hadoop.ParquetFileReader.open(
            org.apache.parquet.hadoop.util.HadoopInputFile.fromPath(
                new org.apache.hadoop.fs.Path(part.toUri()), new Configuration()))) {
      return footer.getFooter().getFileMetaData();
    }
  }

  /**
   * The encoded image of a row whose {@code image} is Hugging Face's Image struct ({@code {bytes,
   * path}}); its {@code path} must be null.
   */
  public static byte[] imageBytes(Map<String, Object> row) {
    @SuppressWarnings("unchecked")
    Map<String, Object> image = (Map<String, Object>) row.get("image");
    if (image.get("path") != null) {
      throw new AssertionError("an image struct with a path: " + image.get("path"));
    }
    return (byte[]) image.get("bytes");
  }

  /**
   * Every data file of {@code dir} declares its {@code image} column as Hugging Face {@code
   * datasets}' Image feature under the Parquet key {@code huggingface}, over a column of exactly
   * that feature's Arrow type (struct of binary {@code bytes} and string {@code path}, nullable):
   * {@code datasets} takes a declared feature only when the types are equal.
   */
  public static void assertImagesDeclared(Path dir) throws IOException {
    List<Path> files = files(dir, ".parquet");
    if (files.isEmpty()) {
      throw new AssertionError("no data files in " + dir);
    }
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    Map<Path, String> declaredIn = new HashMap<>();
    for (Path file : files) {
      var meta = parquetFooter(file);
      String declared = meta.getKeyValueMetaData().get("huggingface");
      declaredIn.put(file, declared);
      if (declared == null
          || !json.readTree("{\"info\": {\"features\": {\"image\": {\"_type\": \"Image\"}}}}")
              .equals(json.readTree(declared))) {
        throw new AssertionError("image not declared as an Image in " + file + ": " + declared);
      }
      String image = meta.getSchema().getType("image").toString().strip();
      String expected =
          "optional group image {\n  optional binary bytes;\n  optional binary path (STRING);\n}";
      if (!image.equals(expected)) {
        throw new AssertionError("image in " + file + " is not the Image feature's type: " + image);
      }
    }
    // the same files as Arrow reads them: datasets.Image().pa_type, every level nullable
    com.fasterxml.jackson.databind.JsonNode arrow;
    try {
      arrow = ArrowSchemas.read(files);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    if (arrow == null) {
      return;
    }
    var expected =
        json.readTree(
            "{\"name\":\"image\",\"type\":\"Struct<{bytes:Binary, path:Utf8}>\",\"nullable\":true,"
                + "\"children\":[{\"name\":\"bytes\",\"type\":\"Binary\",\"nullable\":true,\"children\":[]},"
                + "{\"name\":\"path\",\"type\":\"Utf8\",\"nullable\":true,\"children\":[]}]}");
    for (Path file : files) {
      var read = arrow.get(file.toAbsolutePath().toString());
      com.fasterxml.jackson.databind.JsonNode image = null;
      for (var field : read.path("fields")) {
        if (field.path("name").asText().equals("image")) {
          image = field;
        }
      }
      if (!expected.equals(image)) {
        throw new AssertionError("Arrow reads image in " + file + " as " + image);
      }
      if (!json.readTree(read.path("metadata").path("huggingface").asText())
          .equals(json.readTree(declaredIn.get(file)))) {
        throw new AssertionError(
            "Arrow's schema metadata of " + file + ": " + read.path("metadata"));
      }
    }
  }

  /** Copies a folder tree. */
  public static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : files.toList()) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.createDirectories(target.getParent());
          Files.copy(f, target);
        }
      }
    }
  }
}
