package dev.corpusforge.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.corpusforge.schemas.Reject;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShallowCopyTest {
  @Test
  void aCopyKeepsEveryFieldButTheReplacedOnesAndLeavesTheRecordAsItWas() {
    Reject r = Rejects.of("id1", "file#3", "stage", "reason", "a long detail");
    Map<String, Object> replaced = new HashMap<>();
    replaced.put("detail", null);
    replaced.put("reason", "other");
    Reject copy = ShallowCopy.with(r, replaced);
    assertNotSame(r, copy);
    assertEquals(Reject.class, copy.getClass());
    for (String same : new String[] {"sample_id", "source", "stage"}) {
      assertEquals(r.get(same), copy.get(same), same);
    }
    assertEquals("other", copy.getReason());
    assertNull(copy.getDetail());
    assertEquals("reason", r.getReason());
    assertEquals("a long detail", r.getDetail());
    assertThrows(IllegalArgumentException.class, () -> ShallowCopy.with(r, Map.of("no_such", "x")));
  }
}
