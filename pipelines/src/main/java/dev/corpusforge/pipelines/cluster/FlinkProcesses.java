package dev.corpusforge.pipelines.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Launches Flink's JobManager and TaskManager entry points as separate JVMs, the way Flink's own
 * {@code jobmanager.sh} and {@code taskmanager.sh} do: memory flags and dynamic properties from
 * {@code BashJavaUtils}, Java 17's module openings, output to a log file, detached from this
 * process.
 */
final class FlinkProcesses {
  static final String JOB_MANAGER_CLASS =
      "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
  static final String TASK_MANAGER_CLASS =
      "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";
  private static final String BASH_JAVA_UTILS = "org.apache.flink.runtime.util.bash.BashJavaUtils";
  private static final String RESULT_PREFIX = "BASH_JAVA_UTILS_EXEC_RESULT:";

  /** What Flink 1.19's default configuration passes to every JVM so it runs on Java 17. */
  static final List<String> JAVA_17_OPENS =
      List.of(
          "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
          "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
          "--add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED",
          "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
          "--add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED",
          "--add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED",
          "--add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED",
          "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
          "--add-opens=java.base/java.lang=ALL-UNNAMED",
          "--add-opens=java.base/java.net=ALL-UNNAMED",
          "--add-opens=java.base/java.io=ALL-UNNAMED",
          "--add-opens=java.base/java.nio=ALL-UNNAMED",
          "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
          "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
          "--add-opens=java.base/java.text=ALL-UNNAMED",
          "--add-opens=java.base/java.time=ALL-UNNAMED",
          "--add-opens=java.base/java.util=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

  private final String java;
  private final String classpath;
  private final List<String> jvmOptions;

  FlinkProcesses(String classpath, List<String> jvmOptions) {
    this.java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    this.classpath = classpath;
    this.jvmOptions = jvmOptions;
  }

  /**
   * JVM flags (first) and dynamic properties (second) for {@code GET_JM_RESOURCE_PARAMS} or {@code
   * GET_TM_RESOURCE_PARAMS}.
   */
  List<List<String>> resourceParams(String command, Path conf)
      throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                java, "-cp", classpath, BASH_JAVA_UTILS, command, "--configDir", conf.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(
          "Flink could not size its memory from " + conf + ":\n" + tail(out, 2000));
    }
    List<List<String>> lines = new ArrayList<>();
    for (String line : out.split("\\R")) {
      if (line.startsWith(RESULT_PREFIX)) {
        String value = line.substring(RESULT_PREFIX.length()).strip();
        lines.add(value.isEmpty() ? List.of() : Arrays.asList(value.split("\\s+")));
      }
    }
    if (lines.size() < 2) {
      throw new IOException(
          "unexpected answer from Flink's BashJavaUtils " + command + ":\n" + tail(out, 2000));
    }
    return lines.subList(lines.size() - 2, lines.size());
  }

  /**
   * Starts {@code mainClass} with Flink's configuration folder, its output appended to {@code log};
   * returns the process.
   */
  Process start(
      String mainClass,
      Path conf,
      List<List<String>> resources,
      List<String> extraArgs,
      Path log,
      Path tmp)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.addAll(resources.get(0));
    cmd.addAll(JAVA_17_OPENS);
    cmd.addAll(jvmOptions);
    cmd.add("-Djava.io.tmpdir=" + tmp);
    cmd.add("-Djava.awt.headless=true");
    cmd.add("-Dlog.file=" + log);
    cmd.add("-cp");
    cmd.add(classpath);
    cmd.add(mainClass);
    cmd.add("--configDir");
    cmd.add(conf.toString());
    cmd.addAll(extraArgs);
    cmd.addAll(resources.get(1));
    Files.createDirectories(log.getParent());
    return new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .start();
  }

  static String tail(String s, int chars) {
    return s.length() <= chars ? s : "…" + s.substring(s.length() - chars);
  }
}
