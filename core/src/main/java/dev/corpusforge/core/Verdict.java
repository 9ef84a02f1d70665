package dev.corpusforge.core;

import java.io.Serializable;

/** The answer of a pure rule: keep, or drop because of {@code reason} (with a detail). */
public record Verdict(String reason, String detail) implements Serializable {
  private static final Verdict KEEP = new Verdict(null, null);

  public static Verdict keep() {
    return KEEP;
  }

  public static Verdict drop(String reason, String detail) {
    return new Verdict(reason, detail);
  }

  public boolean kept() {
    return reason == null;
  }

  /** This verdict as an outcome for {@code value}. */
  public <T> Outcome<T> toOutcome(T value) {
    return kept() ? Outcome.keep(value) : Outcome.drop(reason, detail);
  }
}
