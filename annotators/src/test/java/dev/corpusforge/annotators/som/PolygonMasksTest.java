package dev.corpusforge.annotators.som;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corpusforge.annotators.region.BinaryMask;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolygonMasksTest {
  @Test
  void aRectangleCoversExactlyThePixelsWhoseCentresItHolds() {
    BinaryMask m =
        PolygonMasks.fill(List.of(new double[] {10, 20, 40, 20, 40, 30, 10, 30}), 64, 48);
    assertEquals(30 * 10, m.area());
    assertTrue(m.get(10, 20) && m.get(39, 29));
    assertFalse(m.get(40, 20) || m.get(10, 30) || m.get(9, 25));
  }

  @Test
  void polygonsOfOneObjectAreUnitedAndClippedToTheFrame() {
    BinaryMask m =
        PolygonMasks.fill(
            List.of(
                new double[] {0, 0, 10, 0, 10, 10, 0, 10},
                new double[] {5, 5, 15, 5, 15, 15, 5, 15},
                new double[] {-50, 40, 100, 40, 100, 100, -50, 100}),
            20,
            50);
    assertEquals(
        100 + 100 - 25 + 20 * 10,
        m.area(),
        "overlap counted once; the third polygon clipped to 20×10");
  }

  @Test
  void aTriangleHalvesItsBox() {
    BinaryMask m = PolygonMasks.fill(List.of(new double[] {0, 0, 100, 0, 0, 100}), 100, 100);
    assertTrue(Math.abs(m.area() - 5000) <= 100, "area " + m.area());
  }

  @Test
  void degeneratePolygonsAreRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> PolygonMasks.fill(List.of(new double[] {1, 2, 3, 4}), 10, 10));
    assertThrows(
        IllegalArgumentException.class,
        () -> PolygonMasks.fill(List.of(new double[] {1, 2, 3, 4, 5}), 10, 10));
    assertThrows(
        IllegalArgumentException.class,
        () -> PolygonMasks.fill(List.of(new double[] {1, 2, 3, Double.NaN, 5, 6}), 10, 10));
  }
}
