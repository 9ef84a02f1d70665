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
}
