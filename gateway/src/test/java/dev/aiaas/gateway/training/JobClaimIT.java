package dev.aiaas.gateway.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aiaas.gateway.jobs.LeasedQueue;
import dev.aiaas.gateway.testing.Api;
import dev.aiaas.gateway.testing.RunningPlatform;
import dev.aiaas.gateway.testing.TenantFixture;
import dev.aiaas.worker.api.TrainingRun;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The claim query against real rows: a tenant at its plan's concurrent_jobs waits, others do not. */
class JobClaimIT {

  @RegisterExtension
  static final RunningPlatform app = new RunningPlatform();

  private void insertJob(UUID tenant, UUID dataset, String state) throws Exception {
    var db = app.database();
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        PreparedStatement insert = c.prepareStatement("INSERT INTO training_jobs (id, tenant_id, dataset_id, model_name, spec, state,"
            + " attempts, lease_expires_at) VALUES (?, ?, ?, 'm', '{}'::jsonb, ?, ?, now() + interval '1 hour')")) {
      insert.setObject(1, UUID.randomUUID());
      insert.setObject(2, tenant);
      insert.setObject(3, dataset);
      insert.setString(4, state);
      insert.setInt(5, state.equals("running") ? 1 : 0);
      insert.executeUpdate();
    }
  }

  private UUID dataset(TenantFixture tenant) {
    return UUID.fromString(app.api().as(tenant.ownerToken()).postBytes("/v1/datasets?name=d&format=csv", "text/csv",
        "x,y\n1,a\n".getBytes(StandardCharsets.UTF_8)).json().getString("id"));
  }

  /** Verifies that with one job running and concurrent_jobs 1 the tenant's next job is not claimed, while another tenant's is. */
  @Test
  void concurrentJobsLimitHolds() throws Exception {
    Api admin = app.api().as(app.adminToken());
    assertEquals(201, admin.post("/v1/admin/plans", new JsonObject().put("name", "one-at-a-time")
        .put("limits", new JsonObject().put("concurrent_jobs", 1))).status());
    TenantFixture limited = TenantFixture.create(app, "limited", "one-at-a-time");
    TenantFixture other = TenantFixture.create(app, "other", "one-at-a-time");
    UUID limitedData = dataset(limited);
    UUID otherData = dataset(other);
    // GIVEN the limited tenant has a job running and one queued (rows written directly: no worker involved)
    insertJob(UUID.fromString(limited.id()), limitedData, "running");
    insertJob(UUID.fromString(limited.id()), limitedData, "queued");

    Pool pool = PgBuilder.pool().connectingTo(app.database().connectOptions()).using(app.platform().vertx()).build();
    try {
      LeasedQueue<TrainingRun> store = new TrainingJobStore(pool).queue();
      // WHEN only the limited tenant has queued work THEN nothing is claimed
      assertEquals(Optional.empty(), store.claimNext().await(10, TimeUnit.SECONDS));
      // WHEN another tenant queues a job THEN that one is claimed
      insertJob(UUID.fromString(other.id()), otherData, "queued");
      Optional<LeasedQueue.Claimed<TrainingRun>> claimed = store.claimNext().await(10, TimeUnit.SECONDS);
      assertTrue(claimed.isPresent());
      assertEquals(other.id(), claimed.get().message().tenantId().toString());
      assertEquals(Optional.empty(), store.claimNext().await(10, TimeUnit.SECONDS), "the other tenant is now at its limit too");
    } finally {
      pool.close().await(10, TimeUnit.SECONDS);
    }
  }
}
