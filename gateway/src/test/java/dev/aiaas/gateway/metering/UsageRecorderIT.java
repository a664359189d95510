package dev.aiaas.gateway.metering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.gateway.db.DatabaseUrl;
import dev.aiaas.gateway.testing.Eventually;
import dev.aiaas.gateway.testing.TestDatabases;
import dev.aiaas.migrations.Migrations;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The group commit against a real PostgreSQL: several batches in flight, on different rollup shards, summed on read. */
class UsageRecorderIT {

  private static DatabaseUrl db;
  private static Vertx vertx;
  private static Pool pool;

  @BeforeAll
  static void database() throws Exception {
    db = TestDatabases.freshDatabase();
    Migrations.forDatabase(db.jdbcUrl(), db.user(), db.password()).migrate();
    vertx = Vertx.vertx();
    pool = PgBuilder.pool().connectingTo(db.connectOptions()).with(new PoolOptions().setMaxSize(8)).using(vertx).build();
  }

  @AfterAll
  static void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /**
   * Verifies that a batch arriving while another is being committed is written at once beside it
   * (not after its commit), and that the usage of both is read back whole although it sits in two
   * rollup shards.
   */
  @Test
  void writesSeveralBatchesAtOnceAndSumsTheirShards() throws Exception {
    // GIVEN a database where every usage statement takes three seconds and notes how many usage
    // statements were running at its start
    sql("CREATE TABLE test_overlap (running int NOT NULL)");
    sql("""
        CREATE FUNCTION test_slow_usage() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          INSERT INTO test_overlap SELECT count(*) FROM pg_stat_activity
           WHERE state = 'active' AND query LIKE '%INSERT INTO usage_events%' AND query NOT LIKE '%pg_stat_activity%'
             AND datname = current_database();
          PERFORM pg_sleep(3);
          RETURN NULL;
        END $$""");
    sql("CREATE TRIGGER test_slow_usage AFTER INSERT ON usage_events FOR EACH STATEMENT EXECUTE FUNCTION test_slow_usage()");
    UsageRecorder recorder = new UsageRecorder(vertx, new UsageStore(pool), size -> { });
    UUID tenant = UUID.randomUUID();

    // WHEN three backlogs large enough for a batch of their own are recorded, each while the
    // previous one's batch is still being written
    int perBacklog = UsageRecorder.MIN_EVENTS_FOR_EXTRA_BATCH;
    List<Future<Void>> recorded = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      List<UsageEvent> backlog = new ArrayList<>();
      for (int e = 0; e < perBacklog; e++) {
        backlog.add(UsageEvent.of(tenant, Metric.API_CALLS, BigDecimal.ONE, Instant.now(), Optional.empty(), Optional.empty()));
      }
      recorded.add(recorder.record(backlog));
      int started = i;
      Eventually.until(UsageRecorderIT::activeUsageStatements, running -> running == started, Duration.ofSeconds(10));
    }
    Future.all(recorded).await(20, TimeUnit.SECONDS);

    // THEN the three batches overlapped, each in its own shard, and the totals count all of them
    assertEquals(3, query("SELECT max(running) FROM test_overlap"), "batches written side by side");
    assertEquals(3, query("SELECT count(DISTINCT shard) FROM usage_daily WHERE tenant_id = '" + tenant + "'"), "shards");
    Instant now = Instant.now();
    BigDecimal total = new UsageStore(pool).total(tenant, Metric.API_CALLS, now.minus(Duration.ofDays(2)), now.plus(Duration.ofDays(2)))
        .await(10, TimeUnit.SECONDS);
    assertEquals(0, new BigDecimal(3 * perBacklog).compareTo(total), "total " + total);
  }

  private static long activeUsageStatements() {
    try {
      return query("SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%INSERT INTO usage_events%'"
          + " AND query NOT LIKE '%pg_stat_activity%' AND datname = current_database()");
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  private static long query(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      assertTrue(r.next());
      return r.getLong(1);
    }
  }

  private static void sql(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
