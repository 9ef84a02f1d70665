package dev.corpusforge.pipelines.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Usage errors end with exit code 2 before any pipeline starts. */
class ForgeCliTest {
  @TempDir Path tmp;

  @Test
  void missingInputIsAUsageError() {
    assertEquals(2, Forge.execute("run", "image-text", "--output", tmp.resolve("out").toString()));
  }

  @Test
  void inputThatMatchesNothingIsAUsageError() {
    assertEquals(2, Forge.execute("run", "image-text", "--input", tmp.resolve("nothing-here").toString(), "--output", tmp.resolve("out").toString()));
  }

  @Test
  void anExistingOutputIsNotOverwrittenUnlessAsked() throws Exception {
    Path in = Files.createDirectories(tmp.resolve("in"));
    Files.writeString(in.resolve("a.txt"), "a caption");
    Path out = Files.createDirectories(tmp.resolve("out"));
    Files.writeString(out.resolve("manifest.json"), "{}");
    assertEquals(2, Forge.execute("run", "image-text", "--runner", "direct", "--input", in.toString(), "--output", out.toString()));
    assertEquals("{}", Files.readString(out.resolve("manifest.json")));
  }

  @Test
  void unknownConfigKeysAreRejected() throws Exception {
    Path config = tmp.resolve("run.yaml");
    Files.writeString(config, "min-side: 256\nmin-sied: 300\n");
    assertEquals(2, Forge.execute("run", "image-text", "--config", config.toString(), "--input", "x", "--output", "y"));
  }

  @Test
  void configValuesFeedTheOptionsAndFlagsWin() throws Exception {
    Path config = tmp.resolve("run.yaml");
    Files.writeString(config, "min-side: 256\nlanguages: [en, de]\nnear-dup-radius: 2\ninput: [/data/a, /data/b]\noutput: /data/out\n");
    picocli.CommandLine cl = new picocli.CommandLine(new Forge());
    cl.setDefaultValueProvider(YamlDefaults.load(config));
    picocli.CommandLine.ParseResult parsed = cl.parseArgs("run", "image-text", "--near-dup-radius", "6");
    ImageTextCommand command = (ImageTextCommand) parsed.subcommand().subcommand().commandSpec().userObject();
    var c = command.config();
    assertEquals(256, c.imageRules().minSide());
    assertEquals(java.util.Set.of("en", "de"), c.languageRule().keep());
    assertEquals(6, c.nearDupRadius());
    assertEquals(java.util.List.of("/data/a", "/data/b"), c.inputs());
    assertEquals("/data/out", c.output());
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
    Files.writeString(dir.resolve("bundle.json"), Files.readString(source.resolve("bundle.json")).replace(from, to));
    return dir;
  }

  @Test
  void aBundleWithABrokenOutputNameIsRefusedBeforeTheRunNamingTheRealOutputs() throws Exception {
    Path bundle = clipartBundle("broken", "\"patch_embeds\"", "\"patch_tokens\"");
    dev.corpusforge.scorers.beam.ScoringConfig scoring = dev.corpusforge.scorers.beam.ScoringConfig.defaults(bundle.toString());
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> ScoringPreflight.check(scoring));
    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("has no output 'patch_tokens'") && e.getMessage().contains("patch_embeds"), e.getMessage());
    Path out = tmp.resolve("out-broken");
    assertEquals(2, Forge.execute("run", "image-text", "--runner", "direct", "--input", "../samples/image-text", "--output", out.toString(), "--score-model", bundle.toString()));
    org.junit.jupiter.api.Assertions.assertFalse(Files.exists(out), "nothing is written when the bundle is broken");
  }

  @Test
  void alignmentThresholdsNeedAModelAndOnlyOneKind() throws Exception {
    Path model = Path.of("..", "samples", "models", "clipart-dual-encoder");
    assertEquals(2, Forge.execute("run", "image-text", "--input", "x", "--output", tmp.resolve("o1").toString(), "--min-score", "0.3"));
    assertEquals(2, Forge.execute("run", "image-text", "--input", "x", "--output", tmp.resolve("o2").toString(), "--score-model", model.toString(), "--min-score", "0.3", "--keep-top-fraction", "0.3"));
    assertEquals(2, Forge.execute("run", "image-text", "--input", "x", "--output", tmp.resolve("o3").toString(), "--score-model", model.toString(), "--keep-top-fraction", "1.5"));
    assertEquals(2, Forge.execute("run", "image-text", "--input", "x", "--output", tmp.resolve("o4").toString(), "--score-model", model.toString(), "--score", "siglip"));
  }

  @Test
  void askingForAGpuWhereThereIsNoneIsAClearError() {
    org.junit.jupiter.api.Assumptions.assumeFalse(dev.corpusforge.scorers.DeviceChoice.gpuAvailable(), "this machine has a usable GPU");
    IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, dev.corpusforge.scorers.DeviceChoice.GPU::resolve);
    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith("--device gpu: "), e.getMessage());
    assertEquals(ai.djl.Device.cpu(), dev.corpusforge.scorers.DeviceChoice.AUTO.resolve());
    assertEquals(2, Forge.execute("run", "image-text", "--input", "../samples/image-text", "--output", tmp.resolve("o5").toString(),
        "--score-model", "../samples/models/clipart-dual-encoder", "--device", "gpu"));
  }
}
