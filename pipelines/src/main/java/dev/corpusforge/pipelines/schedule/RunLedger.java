package dev.corpusforge.pipelines.schedule;

import dev.corpusforge.pipelines.run.RunDriver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The history of scheduled runs, kept in an embedded H2 database in the schedule's state folder, so
 * it survives restarts: each run's job, status, inputs, counts and times, and which input files
 * each run took. An input file is taken once a run that took it has succeeded; the same path with
 * another size, modification time or ETag is a new input. A run that fails leaves its inputs to the
 * next one.
 */
public final class RunLedger implements AutoCloseable {
  public static final String RUNNING = "running";
  public static final String SUCCEEDED = "succeeded";
  public static final String FAILED = "failed";
  public static final String SKIPPED = "skipped";

  /** A file an input prefix holds: what tells a new file from one already processed. */
  public record InputFile(String path, long size, long modified, String etag) {
    String key() {
      return path + "\u0000" + size + "\u0000" + modified + "\u0000" + Objects.toString(etag, "");
    }
  }

  /** One run as the ledger records it. */
  public record Run(
      String runId,
      String job,
      String status,
      Instant started,
      Instant finished,
      int inputs,
      long kept,
      long rejected,
      String output,
      String message) {}

  private final Connection db;

  private RunLedger(Connection db) {
    this.db = db;
  }

  static final String USER = "forge";

  /**
   * The database of a state folder. {@code AUTO_SERVER} lets {@code forge runs} read it from
   * another process while the scheduler holds it (over a local socket H2 opens on demand).
   */
  public static String url(Path folder) {
    return "jdbc:h2:file:" + folder.toAbsolutePath().resolve("ledger") + ";AUTO_SERVER=TRUE";
  }

  /** Opens (or creates) the ledger in {@code folder}. */
  public static RunLedger open(Path folder) throws SQLException {
    try {
      Files.createDirectories(folder);
    } catch (java.io.IOException e) {
      throw new SQLException("cannot create " + folder, e);
    }
    Connection db = DriverManager.getConnection(url(folder), USER, "");
    try (Statement s = db.createStatement()) {
      s.execute(
          "CREATE TABLE IF NOT EXISTS runs (run_id VARCHAR(64) PRIMARY KEY, job VARCHAR(200) NOT NULL, status VARCHAR(16) NOT NULL, "
              + "started TIMESTAMP WITH TIME ZONE NOT NULL, finished TIMESTAMP WITH TIME ZONE, inputs INT NOT NULL, kept BIGINT, rejected BIGINT, "
              + "output VARCHAR(4000), message VARCHAR(4000))");
      s.execute(
          "CREATE TABLE IF NOT EXISTS run_inputs (run_id VARCHAR(64) NOT NULL, job VARCHAR(200) NOT NULL, path VARCHAR(4000) NOT NULL, "
              + "size BIGINT NOT NULL, modified BIGINT NOT NULL, etag VARCHAR(200))");
      s.execute("CREATE INDEX IF NOT EXISTS run_inputs_job ON run_inputs(job, path)");
    }
    return new RunLedger(db);
  }

  /** The files of {@code listed} that no succeeded run of {@code job} has taken, in their order. */
  public synchronized List<InputFile> untaken(String job, List<InputFile> listed)
      throws SQLException {
    Set<String> taken = new HashSet<>();
    try (PreparedStatement q =
        db.prepareStatement(
            "SELECT i.path, i.size, i.modified, i.etag FROM run_inputs i JOIN runs r ON r.run_id = i.run_id "
                + "WHERE i.job = ? AND r.status = ?")) {
      q.setString(1, job);
      q.setString(2, SUCCEEDED);
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          taken.add(
              new InputFile(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getString(4)).key());
        }
      }
    }
    return listed.stream().filter(f -> !taken.contains(f.key())).toList();
  }

  /** A new run id, in the form every run of the project has ({@link RunDriver#newRunId}). */
  public static String newRunId(Instant started) {
    return RunDriver.newRunId(started);
  }

  /**
   * Records the start of a run of {@code job} taking {@code inputs}; returns its id (sortable by
   * start time).
   */
  public String begin(String job, List<InputFile> inputs, Instant started) throws SQLException {
    String runId = newRunId(started);
    begin(runId, job, inputs, started, null);
    return runId;
  }

  /**
   * Records the start of run {@code runId} of {@code job}, taking {@code inputs} and writing to
   * {@code output}.
   */
  public synchronized void begin(
      String runId, String job, List<InputFile> inputs, Instant started, String output)
      throws SQLException {
    boolean auto = db.getAutoCommit();
    db.setAutoCommit(false);
    try {
      try (PreparedStatement r =
          db.prepareStatement(
              "INSERT INTO runs (run_id, job, status, started, inputs, output) VALUES (?, ?, ?, ?, ?, ?)")) {
        r.setString(1, runId);
        r.setString(2, job);
        r.setString(3, RUNNING);
        r.setObject(4, started.atOffset(java.time.ZoneOffset.UTC));
        r.setInt(5, inputs.size());
        r.setString(6, output);
        r.executeUpdate();
      }
      try (PreparedStatement i =
          db.prepareStatement(
              "INSERT INTO run_inputs (run_id, job, path, size, modified, etag) VALUES (?, ?, ?, ?, ?, ?)")) {
        for (InputFile f : inputs) {
          i.setString(1, runId);
          i.setString(2, job);
          i.setString(3, f.path());
          i.setLong(4, f.size());
          i.setLong(5, f.modified());
          i.setString(6, f.etag());
          i.addBatch();
        }
        i.executeBatch();
      }
      db.commit();
    } catch (SQLException e) {
      db.rollback();
      throw e;
    } finally {
      db.setAutoCommit(auto);
    }
  }

  /**
   * Marks runs still {@link #RUNNING} as failed: a scheduler that starts finds them only when the
   * previous one stopped (or died) during a run, whose inputs then count as not taken.
   */
  public synchronized int failInterrupted(Instant now) throws SQLException {
    try (PreparedStatement u =
        db.prepareStatement(
            "UPDATE runs SET status = ?, finished = ?, message = ? WHERE status = ?")) {
      u.setString(1, FAILED);
      u.setObject(2, now.atOffset(java.time.ZoneOffset.UTC));
      u.setString(3, "interrupted: the scheduler stopped during the run");
      u.setString(4, RUNNING);
      return u.executeUpdate();
    }
  }

  /** Records how a run ended: {@link #SUCCEEDED}, {@link #FAILED} or {@link #SKIPPED}. */
  public synchronized void finish(
      String runId, String status, long kept, long rejected, String message, Instant finished)
      throws SQLException {
    try (PreparedStatement u =
        db.prepareStatement(
            "UPDATE runs SET status = ?, finished = ?, kept = ?, rejected = ?, message = ? WHERE run_id = ?")) {
      u.setString(1, status);
      u.setObject(2, finished.atOffset(java.time.ZoneOffset.UTC));
      u.setLong(3, kept);
      u.setLong(4, rejected);
      u.setString(
          5,
          message == null
              ? null
              : message.length() > 4000 ? message.substring(0, 3999) + "…" : message);
      u.setString(6, runId);
      if (u.executeUpdate() != 1) {
        throw new SQLException("no run " + runId + " in the ledger");
      }
    }
  }

  /** Runs of {@code job} (every job when null), oldest first. */
  public synchronized List<Run> runs(String job) throws SQLException {
    List<Run> runs = new ArrayList<>();
    try (PreparedStatement q =
        db.prepareStatement(
            "SELECT run_id, job, status, started, finished, inputs, kept, rejected, output, message FROM runs"
                + (job == null ? "" : " WHERE job = ?")
                + " ORDER BY started, run_id")) {
      if (job != null) {
        q.setString(1, job);
      }
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          java.time.OffsetDateTime f = rs.getObject(5, java.time.OffsetDateTime.class);
          runs.add(
              new Run(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getObject(4, java.time.OffsetDateTime.class).toInstant(),
                  f == null ? null : f.toInstant(),
                  rs.getInt(6),
                  rs.getLong(7),
                  rs.getLong(8),
                  rs.getString(9),
                  rs.getString(10)));
        }
      }
    }
    return runs;
  }

  /** The files run {@code runId} took, in path order. */
  public synchronized List<InputFile> inputsOf(String runId) throws SQLException {
    List<InputFile> files = new ArrayList<>();
    try (PreparedStatement q =
        db.prepareStatement(
            "SELECT path, size, modified, etag FROM run_inputs WHERE run_id = ? ORDER BY path")) {
      q.setString(1, runId);
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          files.add(new InputFile(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getString(4)));
        }
      }
    }
    return files;
  }

  @Override
  public synchronized void close() throws SQLException {
    db.close();
  }
}
