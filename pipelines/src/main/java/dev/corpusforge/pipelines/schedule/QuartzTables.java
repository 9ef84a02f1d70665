package dev.corpusforge.pipelines.schedule;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Creates Quartz's tables in a new schedule database, from the H2 script Quartz ships. */
final class QuartzTables {
  private static final String SCRIPT = "/org/quartz/impl/jdbcjobstore/tables_h2.sql";

  private QuartzTables() {}

  static void ensure(String url) throws SQLException {
    try (Connection db = DriverManager.getConnection(url, RunLedger.USER, "")) {
      try (ResultSet rs = db.getMetaData().getTables(null, null, "QRTZ_JOB_DETAILS", null)) {
        if (rs.next()) {
          return;
        }
      }
      String sql;
      try (InputStream in = org.quartz.Scheduler.class.getResourceAsStream(SCRIPT)) {
        if (in == null) {
          throw new SQLException("Quartz's " + SCRIPT + " is not on the classpath");
        }
        sql =
            new String(in.readAllBytes(), StandardCharsets.UTF_8).replaceAll("(?m)^\\s*--.*$", "");
      } catch (IOException e) {
        throw new SQLException("cannot read Quartz's " + SCRIPT, e);
      }
      db.setAutoCommit(false);
      try (Statement s = db.createStatement()) {
        for (String statement : sql.split(";")) {
          if (!statement.isBlank()) {
            s.execute(statement);
          }
        }
        db.commit();
      } catch (SQLException e) {
        db.rollback();
        throw e;
      }
    }
  }
}
