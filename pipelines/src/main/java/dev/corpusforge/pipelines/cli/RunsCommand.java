package dev.corpusforge.pipelines.cli;

import dev.corpusforge.pipelines.schedule.RunLedger;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code forge runs [JOB]}: the run ledger of a schedule. */
@Command(
    name = "runs",
    mixinStandardHelpOptions = true,
    description =
        "The runs of scheduled jobs: run id, status, input files taken, counts, duration, output.")
public final class RunsCommand implements Callable<Integer> {
  @Parameters(arity = "0..1", paramLabel = "JOB", description = "Only this job's runs.")
  String job;

  @Option(names = "--inputs", description = "Also list every input file each run took.")
  boolean inputs;

  @CommandLine.Mixin ScheduleCommand.StateDir state = new ScheduleCommand.StateDir();

  @Override
  public Integer call() throws Exception {
    if (!Files.isDirectory(state.resolve())) {
      throw new IllegalArgumentException(
          "no schedule state in "
              + state.resolve()
              + " (forge schedule --jobs FILE creates it; --state names another)");
    }
    try (RunLedger ledger = RunLedger.open(state.resolve())) {
      List<RunLedger.Run> runs = ledger.runs(job);
      if (runs.isEmpty()) {
        Forge.OUT.println(job == null ? "no runs yet" : "no runs of " + job + " yet");
        return 0;
      }
      Forge.OUT.printf(
          "%-35s %-20s %-9s %6s %8s %8s %9s  %s%n",
          "RUN", "JOB", "STATUS", "FILES", "KEPT", "REJECTED", "DURATION", "OUTPUT / MESSAGE");
      for (RunLedger.Run r : runs) {
        String duration =
            r.finished() == null
                ? "running"
                : String.format(
                    "%.1f s", Duration.between(r.started(), r.finished()).toMillis() / 1000.0);
        String tail = r.message() != null ? r.message() : r.output() == null ? "" : r.output();
        Forge.OUT.printf(
            "%-35s %-20s %-9s %6d %8d %8d %9s  %s%n",
            r.runId(), r.job(), r.status(), r.inputs(), r.kept(), r.rejected(), duration, tail);
        if (inputs) {
          for (RunLedger.InputFile f : ledger.inputsOf(r.runId())) {
            Forge.OUT.printf("    %s  (%d bytes)%n", f.path(), f.size());
          }
        }
      }
    }
    return 0;
  }
}
