package dev.corpusforge.pipelines.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corpusforge.pipelines.testing.ForgeCall;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Usage errors end with exit code 2 and a message naming the cause, before any pipeline starts. */
class ForgeCliTest {
  private static final String SAMPLE = Path.of("..", "samples", "image-text").toString();
  private static final String MODEL =
      Path.of("..", "samples", "models", "clipart-dual-encoder").toString();

  @TempDir Path tmp;

  /**
   * Runs forge on the real sample and asserts a usage error whose one-line message contains {@code
   * expected}, with nothing written.
   */
  private void assertUsageError(String expected, String... args) {
    ForgeCall.Outcome o = ForgeCall.run(args);
    assertEquals(2, o.exit(), o.err());
    assertTrue(o.err().contains(expected), "expected '" + expected + "' in: " + o.err());
    assertFalse(o.hasStackTrace(), o.err());
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals("--output")) {
        assertFalse(Files.exists(Path.of(args[i + 1])), "nothing written to " + args[i + 1]);
      }
    }
  }

  @Test
  void missingInputIsAUsageError() throws Exception {
    assertUsageError(
        "image-text needs --input", "run", "image-text", "--output", tmp.resolve("out").toString());
    // without --verbose, every library logger simplelogger.properties tunes is off (a failure they
    // log with its stack trace must not bury the one-line error); ours keep their level
    java.util.Properties tuned = new java.util.Properties();
    try (var in = Forge.class.getClassLoader().getResourceAsStream("simplelogger.properties")) {
      tuned.load(in);
    }
    List<String> libraries =
        tuned.stringPropertyNames().stream()
            .filter(
                k ->
                    k.startsWith("org.slf4j.simpleLogger.log.")
                        && !k.contains(".log.dev.corpusforge"))
            .toList();
    assertTrue(
        libraries.contains("org.slf4j.simpleLogger.log.org.apache.beam.sdk.io.FileBasedSink"),
        libraries.toString());
    for (String key : libraries) {
      assertEquals("off", System.getProperty(key), key);
    }
    assertEquals("off", System.getProperty("org.slf4j.simpleLogger.defaultLogLevel"));
    assertEquals(
        null,
        System.getProperty("org.slf4j.simpleLogger.log.dev.corpusforge"),
        "ours keep the file's level");
  }

  @Test
  void inputThatMatchesNothingIsAUsageError() {
    assertUsageError(
        "input " + tmp.resolve("nothing-here") + " does not exist",
        "run",
        "image-text",
        "--input",
        tmp.resolve("nothing-here").toString(),
        "--output",
        tmp.resolve("out").toString());
  }

  @Test
  void anExistingOutputIsNotOverwrittenUnlessAsked() throws Exception {
    Path in = Files.createDirectories(tmp.resolve("in"));
    Files.writeString(in.resolve("a.txt"), "a caption");
    Path out = Files.createDirectories(tmp.resolve("out"));
    Files.writeString(out.resolve("manifest.json"), "{}");
    assertEquals(
        2,
        Forge.execute(
            "run",
            "image-text",
            "--runner",
            "direct",
            "--input",
            in.toString(),
            "--output",
            out.toString()));
    assertEquals("{}", Files.readString(out.resolve("manifest.json")));
  }

  @Test
  void unknownConfigKeysAreRejected() throws Exception {
    Path config = tmp.resolve("run.yaml");
    Files.writeString(config, "min-side: 256\nmin-sied: 300\n");
    assertUsageError(
        "unknown keys in " + config + ": [min-sied]",
        "run",
        "image-text",
        "--config",
        config.toString(),
        "--input",
        SAMPLE,
        "--output",
        tmp.resolve("out").toString());
    Files.writeString(config, "min-side: 256\n");
    assertUsageError(
        "does not exist",
        "run",
        "image-text",
        "--config",
        config.toString(),
        "--input",
        tmp.resolve("none").toString(),
        "--output",
        tmp.resolve("out").toString());
  }

  @Test
  void retiredFlagNamesAreReadAsTheirNewOnesWithAWarning() {
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    java.io.PrintStream warnings = new java.io.PrintStream(err, true, StandardCharsets.UTF_8);
    String[] args = {"run", "image-text", "--min-side", "300", "--max-pixels=5", "--input", "x"};
    assertEquals(
        List.of(
            "run", "image-text", "--min-image-side", "300", "--max-image-pixels=5", "--input", "x"),
        List.of(DeprecatedFlags.rewrite("image-text", args, warnings)));
    assertTrue(
        err.toString(StandardCharsets.UTF_8)
            .contains(
                "image-text --min-side is deprecated and goes in the next release; use"
                    + " --min-image-side"),
        err.toString(StandardCharsets.UTF_8));
    // a bundle is --model in region-entity; in graph-summary --model was the LLM's name
    String[] graph = {"run", "graph-summary", "--model", "m", "--align-threads", "2"};
    assertEquals(
        List.of("run", "graph-summary", "--llm-model", "m", "--model-threads", "2"),
        List.of(DeprecatedFlags.rewrite("graph-summary", graph, warnings)));
    String[] region = {"run", "region-entity", "--model", "bundle/"};
    assertEquals(
        List.of(region), List.of(DeprecatedFlags.rewrite("region-entity", region, warnings)));
  }

  @Test
  void configValuesFeedTheOptionsAndFlagsWin() throws Exception {
    Path config = tmp.resolve("run.yaml");
    Files.writeString(
        config,
        "min-side: 256\nlanguages: [en, de]\nnear-dup-radius: 2\ninput: [/data/a, /data/b]\noutput: /data/out\n");
    picocli.CommandLine cl = new picocli.CommandLine(new Forge());
    cl.setDefaultValueProvider(YamlDefaults.load(config, "image-text"));
    picocli.CommandLine.ParseResult parsed =
        cl.parseArgs("run", "image-text", "--near-dup-radius", "6");
    ImageTextCommand command =
        (ImageTextCommand) parsed.subcommand().subcommand().commandSpec().userObject();
    var c = command.config();
    assertEquals(256, c.imageRules().minSide());
    assertEquals(java.util.Set.of("en", "de"), c.languageRule().keep());
    assertEquals(6, c.nearDupRadius());
    assertEquals(java.util.List.of("/data/a", "/data/b"), c.inputs());
    assertEquals("/data/out", c.output());
  }

  @Test
  void imageTextFetchesOnlyWhenAnInputIsAUrlList() throws Exception {
    assertEquals(java.util.Set.of(), imageTextSteps("/data/photos", "/data/shards-{0..3}.tar"));
    assertEquals(java.util.Set.of("Fetch"), imageTextSteps("/data/photos", "/data/urls.parquet"));
  }

  /** The fetch steps in the plan of an image-text run over {@code inputs}. */
  private java.util.Set<String> imageTextSteps(String... inputs) throws java.io.IOException {
    picocli.CommandLine cl = new picocli.CommandLine(new Forge());
    List<String> args = new java.util.ArrayList<>(List.of("run", "image-text"));
    for (String input : inputs) {
      args.addAll(List.of("--input", input));
    }
    args.addAll(List.of("--output", tmp.resolve("plan").toString()));
    picocli.CommandLine.ParseResult parsed = cl.parseArgs(args.toArray(String[]::new));
    ImageTextCommand command =
        (ImageTextCommand) parsed.subcommand().subcommand().commandSpec().userObject();
    org.apache.beam.sdk.Pipeline pipeline = org.apache.beam.sdk.Pipeline.create();
    dev.corpusforge.pipelines.imagetext.ImageTextPipeline.build(pipeline, command.config());
    java.util.Set<String> fetches = new java.util.TreeSet<>();
    pipeline.traverseTopologically(
        new org.apache.beam.sdk.Pipeline.PipelineVisitor.Defaults() {
          @Override
          public CompositeBehavior enterCompositeTransform(
              org.apache.beam.sdk.runners.TransformHierarchy.Node node) {
            if (node.getFullName().startsWith("Fetch")) {
              fetches.add(node.getFullName());
            }
            return node.getFullName().startsWith("Fetch")
                ? CompositeBehavior.DO_NOT_ENTER_TRANSFORM
                : CompositeBehavior.ENTER_TRANSFORM;
          }
        });
    return fetches;
  }

  @Test
  void inspectWithoutManifestIsAUsageError() {
    assertEquals(2, Forge.execute("inspect", tmp.toString()));
  }

  private Path clipartBundle(String name, String from, String to) throws Exception {
    Path source = Path.of("..", "samples", "models", "clipart-dual-encoder");
    Path dir = Files.createDirectories(tmp.resolve(name));
    for (String f : new String[] {"image.onnx", "text.onnx", "tokenizer.json"}) {
      Files.copy(source.resolve(f), dir.resolve(f));
    }
    Files.writeString(
        dir.resolve("bundle.json"),
        Files.readString(source.resolve("bundle.json")).replace(from, to));
    return dir;
  }

  @Test
  void aBundleWithABrokenOutputNameIsRefusedBeforeTheRunNamingTheRealOutputs() throws Exception {
    Path bundle = clipartBundle("broken", "\"patch_embeds\"", "\"patch_tokens\"");
    dev.corpusforge.scorers.beam.ScoringConfig scoring =
        dev.corpusforge.scorers.beam.ScoringConfig.defaults(bundle.toString());
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> ScoringPreflight.check(scoring));
    org.junit.jupiter.api.Assertions.assertTrue(
        e.getMessage().contains("has no output 'patch_tokens'")
            && e.getMessage().contains("patch_embeds"),
        e.getMessage());
    Path out = tmp.resolve("out-broken");
    assertEquals(
        2,
        Forge.execute(
            "run",
            "image-text",
            "--runner",
            "direct",
            "--input",
            "../samples/image-text",
            "--output",
            out.toString(),
            "--score-model",
            bundle.toString()));
    org.junit.jupiter.api.Assertions.assertFalse(
        Files.exists(out), "nothing is written when the bundle is broken");
  }

  @Test
  void alignmentThresholdsNeedAModelAndOnlyOneKind() throws Exception {
    assertUsageError(
        "--keep-top-fraction need --score-model",
        "run",
        "image-text",
        "--input",
        SAMPLE,
        "--output",
        tmp.resolve("o1").toString(),
        "--min-score",
        "0.3");
    assertUsageError(
        "use either --min-score (and --min-score-lang) or --keep-top-fraction, not both",
        "run",
        "image-text",
        "--input",
        SAMPLE,
        "--output",
        tmp.resolve("o2").toString(),
        "--score-model",
        MODEL,
        "--min-score",
        "0.3",
        "--keep-top-fraction",
        "0.3");
    assertUsageError(
        "--keep-top-fraction must be in (0, 1], not 1.5",
        "run",
        "image-text",
        "--input",
        SAMPLE,
        "--output",
        tmp.resolve("o3").toString(),
        "--score-model",
        MODEL,
        "--keep-top-fraction",
        "1.5");
    assertUsageError(
        "score must be clip or filip, not 'siglip'",
        "run",
        "image-text",
        "--input",
        SAMPLE,
        "--output",
        tmp.resolve("o4").toString(),
        "--score-model",
        MODEL,
        "--score",
        "siglip");
    assertUsageError(
        "--semdedup-eps needs --score-model and --embeddings",
        "run",
        "image-text",
        "--input",
        SAMPLE,
        "--output",
        tmp.resolve("o5").toString(),
        "--score-model",
        MODEL,
        "--semdedup-eps",
        "0.05");
    assertUsageError(
        "--semdedup-eps must be in (0, 1), got 1.5",
        "run",
        "image-text",
        "--input",
        SAMPLE,
        "--output",
        tmp.resolve("o6").toString(),
        "--score-model",
        MODEL,
        "--embeddings",
        "--semdedup-eps",
        "1.5");
  }

  @Test
  void askingForAGpuWhereThereIsNoneIsAClearError() {
    org.junit.jupiter.api.Assumptions.assumeFalse(
        dev.corpusforge.scorers.DeviceChoice.gpuAvailable(), "this machine has a usable GPU");
    IllegalStateException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalStateException.class, dev.corpusforge.scorers.DeviceChoice.GPU::resolve);
    org.junit.jupiter.api.Assertions.assertTrue(
        e.getMessage().startsWith("--device gpu: "), e.getMessage());
    assertEquals(ai.djl.Device.cpu(), dev.corpusforge.scorers.DeviceChoice.AUTO.resolve());
    assertUsageError(
        "--device gpu: ",
        "run",
        "image-text",
        "--input",
        SAMPLE,
        "--output",
        tmp.resolve("o5").toString(),
        "--score-model",
        MODEL,
        "--device",
        "gpu");
  }

  /** The version forge reports and writes in manifests is the pom's, written nowhere else. */
  @Test
  void theVersionIsThePoms() throws Exception {
    java.util.regex.Matcher pom =
        java.util.regex.Pattern.compile(
                "<artifactId>corpusforge-parent</artifactId>\\s*<version>([^<]+)</version>")
            .matcher(Files.readString(Path.of("..", "pom.xml")));
    assertTrue(pom.find());
    assertEquals(pom.group(1), dev.corpusforge.pipelines.run.RunDriver.VERSION);
    assertEquals(List.of("corpusforge " + pom.group(1)), List.of(new Forge.Version().getVersion()));
  }
}
