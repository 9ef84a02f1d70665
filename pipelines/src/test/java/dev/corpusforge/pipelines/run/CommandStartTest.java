package dev.corpusforge.pipelines.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** Each command's start-up counts from its own start, never from an earlier command's. */
class CommandStartTest {
  @Test
  void aCommandAfterAnotherInTheSameJvmCountsFromItsOwnStart() {
    CommandStart.take(); // whatever an earlier command in this JVM left
    long before = System.currentTimeMillis();
    assertTrue(ManagementFactory.getRuntimeMXBean().getStartTime() < before);
    CommandStart.nowUnlessKnown();
    assertTrue(CommandStart.take() >= before, "marked by the command, not the JVM's start");
    assertTrue(CommandStart.take() >= before, "unmarked: counts from the taking");
  }

  @Test
  void aStartAlreadyKnownIsKept() {
    CommandStart.at(1_000L); // as the daemon marks a run it takes
    CommandStart.nowUnlessKnown();
    assertEquals(1_000L, CommandStart.take());
  }
}
