package dev.corpusforge.pipelines.schedule;

import com.cronutils.mapper.CronMapper;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import java.text.ParseException;
import org.quartz.CronExpression;

/**
 * Cron expressions as users write them: Unix form (five fields, minute first, as crontab) or Quartz
 * form (six or seven fields, seconds first). Both end as a Quartz expression.
 */
public final class CronSpec {
  private static final CronParser UNIX =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

  private CronSpec() {}

  /**
   * The Quartz form of {@code expression}; IllegalArgumentException with the reason when it is not
   * valid.
   */
  public static String toQuartz(String expression) {
    String e = expression == null ? "" : expression.trim();
    int fields = e.isEmpty() ? 0 : e.split("\\s+").length;
    String quartz;
    if (fields == 5) {
      try {
        quartz = CronMapper.fromUnixToQuartz().map(UNIX.parse(e)).asString();
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException(
            "cron '" + expression + "' is not a valid Unix cron expression: " + ex.getMessage());
      }
    } else if (fields == 6 || fields == 7) {
      quartz = e;
    } else {
      throw new IllegalArgumentException(
          "cron '"
              + expression
              + "' has "
              + fields
              + " fields; expected 5 (Unix: minute hour day-of-month month day-of-week) or 6–7 (Quartz: seconds first)");
    }
    try {
      CronExpression.validateExpression(quartz);
    } catch (ParseException ex) {
      throw new IllegalArgumentException(
          "cron '" + expression + "' is not valid: " + ex.getMessage());
    }
    return quartz;
  }
}
