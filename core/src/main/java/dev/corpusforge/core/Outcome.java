package dev.corpusforge.core;

import java.io.Serializable;
import java.util.Objects;

/**
 * What a stage decided for one record: keep it (possibly changed), or drop it with a stable
 * snake_case reason and a human-readable detail.
 */
public final class Outcome<T> implements Serializable {
  private final T value;
  private final String reason;
  private final String detail;
  private final Tally tally;

  private Outcome(T value, String reason, String detail, Tally tally) {
    this.value = value;
    this.reason = reason;
    this.detail = detail;
    this.tally = tally;
  }

  private Outcome(T value, String reason, String detail) {
    this(value, reason, detail, null);
  }

  /**
   * This outcome with what the step counted on the way; {@link Stage} emits it to the stage's
   * tallies whether the record is kept or dropped.
   */
  public Outcome<T> counting(Tally counted) {
    return new Outcome<>(value, reason, detail, counted);
  }

  /** What the step counted for this record, or null. */
  public Tally tally() {
    return tally;
  }

  public static <T> Outcome<T> keep(T value) {
    return new Outcome<>(Objects.requireNonNull(value, "value"), null, null);
  }

  /** A {@link FlatStep}'s record kept: its outputs went to the step's consumer. */
  public static <T> Outcome<T> emitted() {
    return new Outcome<>(null, null, null);
  }

  public static <T> Outcome<T> drop(String reason, String detail) {
    return new Outcome<>(null, Objects.requireNonNull(reason, "reason"), detail);
  }

  public boolean kept() {
    return reason == null;
  }

  public T value() {
    return value;
  }

  public String reason() {
    return reason;
  }

  public String detail() {
    return detail;
  }

  @Override
  public String toString() {
    return kept() ? "keep" : "drop(" + reason + (detail == null ? "" : ": " + detail) + ")";
  }
}
