package dev.corpusforge.pipelines.regionentity;

import java.io.Serializable;
import java.util.List;

/**
 * Which trainer formats a region-entity run writes under {@code exports/}, and how.
 *
 * @param formats {@code coco} ({@link CocoExport}) and/or {@code maskoven} ({@link MaskOvenExport})
 * @param maxRegions the most regions of one sample the MaskOVEN export lists (its consensus mask's
 *     separate parts, largest first)
 * @param dataSplit appended to a sample's split in MaskOVEN's {@code data_split} ({@code
 *     query_val}); null for the split alone
 */
public record RegionExports(List<String> formats, int maxRegions, String dataSplit)
    implements Serializable {
  public static final String COCO = "coco";
  public static final String MASKOVEN = "maskoven";
  public static final int DEFAULT_MAX_REGIONS = 5;

  public RegionExports {
    formats = List.copyOf(formats);
    for (String f : formats) {
      if (!f.equals(COCO) && !f.equals(MASKOVEN)) {
        throw new IllegalArgumentException("unknown --export '" + f + "': coco or maskoven");
      }
    }
    if (maxRegions < 1) {
      throw new IllegalArgumentException("--max-regions must be at least 1, not " + maxRegions);
    }
    if (dataSplit != null && !dataSplit.matches("[A-Za-z0-9_]+")) {
      throw new IllegalArgumentException(
          "--data-split takes letters, digits and _ (e.g. val_seen), not '" + dataSplit + "'");
    }
  }

  public static RegionExports defaults() {
    return new RegionExports(List.of(COCO), DEFAULT_MAX_REGIONS, null);
  }

  boolean writes(String format) {
    return formats.contains(format);
  }
}
