package dev.corpusforge.pipelines.cli;

import dev.corpusforge.pipelines.run.CommandStart;
import dev.corpusforge.pipelines.run.InstanceMetadata;
import dev.corpusforge.pipelines.run.RunDriver;
import dev.corpusforge.pipelines.run.RunFailure;
import dev.corpusforge.pipelines.run.RunSettings;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code forge} command line. */
@Command(
    name = "forge",
    mixinStandardHelpOptions = true,
    versionProvider = Forge.Version.class,
    description = "Build training corpora for attention-based models as Apache Beam pipelines.",
    subcommands = {
      Forge.Run.class,
      InspectCommand.class,
      RetryCommand.class,
      MergeCommand.class,
      CurriculumCommand.class,
      DemoCommand.class,
      ClusterCommand.class,
      JobsCommand.class,
      ScheduleCommand.class,
      RunsCommand.class,
      DaemonCommand.class
    })
public final class Forge implements Runnable {
  /**
   * Standard output as it is at each write, not as it was when this class was loaded: a daemon
   * points it at the client of each run ({@code daemon/ForgeDaemon}).
   */
  static final PrintStream OUT =
      new PrintStream(
          new java.io.OutputStream() {
            @Override
            public void write(int b) {
              System.out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
              System.out.write(b, off, len);
            }

            @Override
            public void flush() {
              System.out.flush();
            }
          },
          true);

  /** Anywhere on the command line: errors come with their stack trace. */
  static final String VERBOSE = "--verbose";

  @Override
  public void run() {
    new CommandLine(this).usage(OUT);
  }

  /** {@code forge --version}: the pom's version. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"corpusforge " + RunDriver.VERSION};
    }
  }

  /** {@code forge run PIPELINE}. */
  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      description = "Run one pipeline.",
      subcommands = {
        ImageTextCommand.class,
        DecomposeCommand.class,
        GraphSummaryCommand.class,
        RegionEntityCommand.class,
        SomCommand.class
      })
  static final class Run implements Runnable {
    @Override
    public void run() {
      new CommandLine(this).usage(OUT);
    }
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /**
   * Runs the command line and returns the exit code: 0 done, 1 the run failed, 2 bad usage or
   * input. Errors are one line naming the cause; {@code --verbose} anywhere on the command line
   * adds the stack trace.
   */
  public static int execute(String... given) {
    CommandStart.nowUnlessKnown();
    if (given.length > 0 && (given[0].equals("run") || given[0].equals("demo"))) {
      RunDriver.prepareOptionsInBackground();
    }
    InstanceMetadata.refuseUnlessAllowed();
    boolean verbose = java.util.Arrays.asList(given).contains(VERBOSE);
    quietLibraries(verbose);
    String[] args =
        DeprecatedFlags.rewrite(
            pipelineName(given),
            java.util.Arrays.stream(given).filter(a -> !a.equals(VERBOSE)).toArray(String[]::new),
            System.err);
    CommandLine cl = new CommandLine(new Forge());
    cl.setExecutionExceptionHandler(
        (ex, cmd, parsed) -> {
          boolean usage =
              ex instanceof IllegalArgumentException
                  || ex instanceof CommandLine.ParameterException;
          String message =
              usage || ex instanceof RunFailure ? ex.getMessage() : RunFailure.describe(ex);
          cmd.getErr().println("error: " + message);
          if (verbose || System.getenv("FORGE_DEBUG") != null) {
            ex.printStackTrace(cmd.getErr());
          } else if (!usage) {
            cmd.getErr().println("(run again with --verbose for the stack trace)");
          }
          cmd.getErr().flush();
          return usage ? 2 : 1;
        });
    try {
      Path config = configFile(args);
      if (config != null) {
        String sub = pipelineName(args);
        YamlDefaults defaults = YamlDefaults.load(config, sub);
        cl.setDefaultValueProvider(defaults);
        if (sub != null) {
          CommandLine run = cl.getSubcommands().get("run").getSubcommands().get(sub);
          if (run != null && !defaults.unknownKeys(run.getCommandSpec()).isEmpty()) {
            System.err.println(
                "error: unknown keys in "
                    + config
                    + ": "
                    + defaults.unknownKeys(run.getCommandSpec()));
            return 2;
          }
        }
      }
    } catch (Exception e) {
      System.err.println("error: " + e.getMessage());
      return 2;
    }
    return cl.execute(args);
  }

  private static final String LOGGER_PREFIX = "org.slf4j.simpleLogger.log.";

  /**
   * Without {@code --verbose}, the libraries' own log lines (a failure logged with its stack trace
   * by Beam, Flink or Hadoop before it reaches us) stay off the console: the run's one-line error
   * names the cause. The default level goes off, and so does every library logger
   * simplelogger.properties names; ours keep theirs. Takes effect when logging starts, i.e. on the
   * first command of a JVM; a setting the user gave as a system property is kept.
   */
  private static void quietLibraries(boolean verbose) {
    if (verbose) {
      return;
    }
    System.getProperties().putIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "off");
    java.util.Properties tuned = new java.util.Properties();
    try (java.io.InputStream in =
        Forge.class.getClassLoader().getResourceAsStream("simplelogger.properties")) {
      if (in != null) {
        tuned.load(in);
      }
    } catch (java.io.IOException e) {
      return; // the libraries keep the levels of the file
    }
    for (String key : tuned.stringPropertyNames()) {
      if (key.startsWith(LOGGER_PREFIX) && !key.startsWith(LOGGER_PREFIX + "dev.corpusforge")) {
        System.getProperties().putIfAbsent(key, "off");
      }
    }
  }

  private static Path configFile(String[] args) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) {
        return Path.of(args[i + 1]);
      }
      if (args[i].startsWith("--config=")) {
        return Path.of(args[i].substring("--config=".length()));
      }
    }
    return null;
  }

  private static String pipelineName(String[] args) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals("run")) {
        return args[i + 1];
      }
    }
    return null;
  }

  /** Runs a job, prints its outcome, and returns the exit code. */
  static int drive(RunDriver.Job job, RunSettings settings) throws Exception {
    return report(RunDriver.run(job, settings, OUT));
  }

  /** Prints a run's outcome and returns the exit code. */
  static int report(RunDriver.Result result) {
    if (result.stats() != null) {
      OUT.printf(
          "inputs %d  kept %d  rejected %d%n",
          result.stats().inputs, result.stats().kept, result.stats().rejected);
      for (Map.Entry<String, Map<String, Long>> stage : result.stats().rejectCounts.entrySet()) {
        for (Map.Entry<String, Long> reason : stage.getValue().entrySet()) {
          OUT.printf(
              "  rejected %-9s %-28s %d%n", stage.getKey(), reason.getKey(), reason.getValue());
        }
      }
    }
    if (!result.ok()) {
      System.err.println("error: " + result.message());
      return 1;
    }
    OUT.println(result.message());
    if (result.stats() == null) {
      OUT.println(
          "when the job has ended, `forge jobs finish "
              + result.layout().root()
              + "` checks the accounting and writes the manifest, report and _SUCCESS");
      return 0;
    }
    OUT.println("manifest: " + result.layout().manifest());
    OUT.println("report:   " + result.layout().report());
    return 0;
  }
}
