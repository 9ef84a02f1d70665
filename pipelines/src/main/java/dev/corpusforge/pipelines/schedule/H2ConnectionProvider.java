package dev.corpusforge.pipelines.schedule;

import java.sql.Connection;
import java.sql.SQLException;
import org.h2.jdbcx.JdbcConnectionPool;
import org.quartz.utils.ConnectionProvider;

/**
 * Quartz's connections to the schedule's H2 database, from H2's own pool (Quartz's pooling
 * providers want c3p0 or HikariCP, which the schedule does not otherwise need). Quartz sets {@link
 * #setUrl} from {@code org.quartz.dataSource.NAME.url}.
 */
public final class H2ConnectionProvider implements ConnectionProvider {
  private String url;
  private JdbcConnectionPool pool;

  public void setUrl(String url) {
    this.url = url;
  }

  @Override
  public void initialize() {
    pool = JdbcConnectionPool.create(url, RunLedger.USER, "");
    pool.setMaxConnections(10);
  }

  @Override
  public Connection getConnection() throws SQLException {
    return pool.getConnection();
  }

  @Override
  public void shutdown() {
    if (pool != null) {
      pool.dispose();
    }
  }
}
