package dev.corpusforge.pipelines.imagetext;

import dev.corpusforge.core.Outcome;
import dev.corpusforge.core.Step;
import dev.corpusforge.pipelines.io.CarriedColumns;
import dev.corpusforge.schemas.ImageTextSample;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * DataComp-style use of the input's own columns: those carried to the kept rows ({@code
 * --keep-columns}), a precomputed score that keeps a row when at least a floor ({@code
 * --filter-col} with {@code --filter-min}), and the 32-hex-digit uid the {@code uids.npy} export is
 * made of ({@code --uid-col}). The filter and uid columns are carried too.
 *
 * @param keep columns carried as they are
 * @param filterColumn the score column, or null
 * @param filterMin the floor: a row whose score is under it is {@code filter_col_below_min}
 * @param uidColumn the uid column, or null
 */
public record ColumnRules(
    List<String> keep, String filterColumn, double filterMin, String uidColumn)
    implements Serializable {
  public static final String STAGE = "columns";
  public static final String FILTER_COL_MISSING = "filter_col_missing";
  public static final String FILTER_COL_NOT_A_NUMBER = "filter_col_not_a_number";
  public static final String FILTER_COL_BELOW_MIN = "filter_col_below_min";
  public static final String UID_INVALID = "uid_invalid";

  public static final ColumnRules NONE = new ColumnRules(List.of(), null, 0, null);

  public ColumnRules {
    keep = List.copyOf(keep);
    for (String name : carried(keep, filterColumn, uidColumn)) {
      if (name.isBlank()) {
        throw new IllegalArgumentException("a column name is empty in --keep-columns");
      }
    }
    if (!Double.isFinite(filterMin)) {
      throw new IllegalArgumentException("--filter-min must be a finite number");
    }
  }

  /** Every column a read record carries, each once, in the order given. */
  public List<String> carried() {
    return carried(keep, filterColumn, uidColumn);
  }

  private static List<String> carried(List<String> keep, String filter, String uid) {
    Set<String> all = new LinkedHashSet<>(keep);
    if (filter != null) {
      all.add(filter);
    }
    if (uid != null) {
      all.add(uid);
    }
    return new ArrayList<>(all);
  }

  /** Whether the run checks a column (and so has the {@code columns} stage). */
  public boolean checks() {
    return filterColumn != null || uidColumn != null;
  }

  /** The uid as DataComp's {@code uids.npy} holds it: two unsigned 64-bit halves, or null. */
  static long[] uidHalves(String uid) {
    if (uid == null || uid.length() != 32) {
      return null;
    }
    for (int i = 0; i < 32; i++) {
      if (Character.digit(uid.charAt(i), 16) < 0) {
        return null;
      }
    }
    return new long[] {
      Long.parseUnsignedLong(uid.substring(0, 16), 16),
      Long.parseUnsignedLong(uid.substring(16), 16)
    };
  }

  /** The {@code columns} stage: the score floor, then the uid's form. */
  static final class Check implements Step<ImageTextSample, ImageTextSample> {
    private final ColumnRules rules;

    Check(ColumnRules rules) {
      this.rules = rules;
    }

    @Override
    public Outcome<ImageTextSample> apply(ImageTextSample sample) {
      if (rules.filterColumn() != null) {
        String value = CarriedColumns.value(sample.getColumns(), rules.filterColumn());
        if (value == null || value.isBlank()) {
          return Outcome.drop(
              FILTER_COL_MISSING, "no value in column '" + rules.filterColumn() + "'");
        }
        double score;
        try {
          score = Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
          return Outcome.drop(
              FILTER_COL_NOT_A_NUMBER,
              "column '" + rules.filterColumn() + "' holds " + shortened(value));
        }
        if (!(score >= rules.filterMin())) {
          return Outcome.drop(
              FILTER_COL_BELOW_MIN,
              String.format(
                  Locale.ROOT,
                  "%s %s < --filter-min %s",
                  rules.filterColumn(),
                  value.strip(),
                  rules.filterMin()));
        }
      }
      if (rules.uidColumn() != null) {
        String uid = CarriedColumns.value(sample.getColumns(), rules.uidColumn());
        if (uidHalves(uid) == null) {
          return Outcome.drop(
              UID_INVALID,
              "column '"
                  + rules.uidColumn()
                  + "' holds "
                  + (uid == null ? "no value" : shortened(uid))
                  + ", not 32 hex digits");
        }
      }
      return Outcome.keep(sample);
    }

    private static String shortened(String value) {
      return "'" + (value.length() > 40 ? value.substring(0, 40) + "…" : value) + "'";
    }
  }
}
