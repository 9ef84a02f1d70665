package dev.corpusforge.pipelines.cli;

import dev.corpusforge.pipelines.daemon.DaemonDirectory;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code forge daemon status|stop}: the warm JVMs {@code FORGE_DAEMON=on} runs go to. */
@Command(
    name = "daemon",
    mixinStandardHelpOptions = true,
    description = {
      "Show or stop the warm JVMs that `forge run` hands its runs to when FORGE_DAEMON=on.",
      "One daemon per working directory, environment, JVM options and build; each stops by itself"
          + " after FORGE_DAEMON_IDLE seconds idle (600 by default)."
    })
final class DaemonCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "status or stop", paramLabel = "ACTION")
  String action;

  @Override
  public Integer call() throws Exception {
    DaemonDirectory dir = DaemonDirectory.fromSystemProperty();
    if (dir == null) {
      throw new IllegalArgumentException(
          "no daemon folder: run this as bin/forge daemon " + action + " (it names the folder)");
    }
    List<String> lines =
        switch (action) {
          case "status" -> dir.status();
          case "stop" -> dir.stop();
          default ->
              throw new IllegalArgumentException("unknown action '" + action + "': status or stop");
        };
    if (lines.isEmpty()) {
      Forge.OUT.println("no forge daemon is running (" + dir.path() + ")");
    }
    lines.forEach(Forge.OUT::println);
    return 0;
  }
}
