package dev.corpusforge.core;

/** Thrown inside a stage's helpers when a record breaks a rule; the stage turns it into a drop. */
public final class RuleViolation extends Exception {
  private final String reason;

  public RuleViolation(String reason, String detail) {
    super(detail, null, false, false);
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }

  public String detail() {
    return getMessage();
  }

  public <T> Outcome<T> toOutcome() {
    return Outcome.drop(reason, getMessage());
  }
}
