package dev.corpusforge.pipelines.schedule;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A scheduled run's JVM takes this one's heap and collector unless its job names its own. */
class ChildProcessLauncherTest {
  @Test
  void heapAndCollectorAreInheritedUnlessTheJobNamesItsOwn() {
    List<String> own = ManagementFactory.getRuntimeMXBean().getInputArguments();
    // the test JVM's own options (the parent pom's argLine)
    assertTrue(own.contains("-XX:+UseParallelGC"), own.toString());
    assertTrue(own.stream().anyMatch(o -> o.startsWith("-Xmx")), own.toString());

    List<String> inherited = ChildProcessLauncher.inheritedJvmOptions(List.of());
    assertTrue(inherited.contains("-XX:+UseParallelGC"), inherited.toString());
    assertTrue(inherited.stream().anyMatch(o -> o.startsWith("-Xmx")), inherited.toString());
    assertFalse(inherited.stream().anyMatch(o -> o.startsWith("-D")), inherited.toString());

    List<String> tuning =
        ChildProcessLauncher.inheritedJvmOptions(List.of("-XX:+UseAdaptiveSizePolicyWithSystemGC"));
    assertTrue(tuning.contains("-XX:+UseParallelGC"), "a tuning flag is no collector: " + tuning);

    List<String> jobsOwn =
        ChildProcessLauncher.inheritedJvmOptions(List.of("-XX:+UseG1GC", "-Xmx6g"));
    assertFalse(jobsOwn.stream().anyMatch(o -> o.endsWith("GC")), jobsOwn.toString());
    assertFalse(jobsOwn.stream().anyMatch(o -> o.startsWith("-Xmx")), jobsOwn.toString());
  }
}
