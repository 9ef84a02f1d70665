package dev.corpusforge.annotators.som;

import dev.corpusforge.annotators.region.BinaryMask;
import dev.corpusforge.annotators.region.Superpixels;
import java.awt.image.BufferedImage;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Automatic masks on the CPU, for images without instance annotations: BoofCV's
 * Felzenszwalb–Huttenlocher graph segmentation, one mask per segment, segments smaller than {@code
 * minRegion} pixels merged into a neighbour (SoM's generator drops regions under 10 px). Coarser
 * than Semantic-SAM's masks, but deterministic and free of model weights.
 */
public final class AutoMasks {
  public static final float DEFAULT_SCALE = 500f;
  public static final int DEFAULT_MIN_REGION = 10;

  /**
   * @param scale Felzenszwalb–Huttenlocher's k: larger, fewer and bigger segments
   * @param minRegion the smallest segment, in pixels
   */
  public record Settings(float scale, int minRegion) implements Serializable {
    public Settings {
      if (!(scale > 0) || minRegion < 1) {
        throw new IllegalArgumentException(
            "auto masks need a scale > 0 and a min region ≥ 1 pixel");
      }
    }

    public static Settings defaults() {
      return new Settings(DEFAULT_SCALE, DEFAULT_MIN_REGION);
    }
  }

  private AutoMasks() {}

  /** One mask per segment, in segment-label order. */
  public static List<BinaryMask> of(BufferedImage rgb, Settings settings) {
    Superpixels.Labels labels = Superpixels.fh04(rgb, settings.scale(), settings.minRegion());
    List<BinaryMask> masks = new ArrayList<>();
    for (int i = 0; i < labels.count(); i++) {
      masks.add(new BinaryMask(labels.width(), labels.height()));
    }
    for (int i = 0; i < labels.label().length; i++) {
      masks.get(labels.label()[i]).set(i, true);
    }
    masks.removeIf(m -> m.area() < settings.minRegion());
    return masks;
  }
}
