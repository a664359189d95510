package dev.aiaas.gateway.jobs;

import dev.aiaas.worker.api.JobAttempt;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A queue of jobs in a PostgreSQL table with the columns {@code state} (queued, running, ...),
 * {@code attempts}, {@code worker_id}, {@code lease_expires_at}, {@code started_at}, {@code
 * finished_at} and {@code error}: the part training jobs and batch predictions share. A claim
 * makes a job {@code running} under a lease; the worker renews the lease; a job whose lease lapses
 * goes back to the queue, and fails after {@code maxAttempts} runs. Every statement is keyed by
 * the attempt, so a worker that lost its job can no longer change it.
 *
 * @param <M> the message that hands a claimed job to a worker
 */
public final class LeasedQueue<M extends JobAttempt> {

  /** A claimed job: its id, which run this is, and the message its worker needs. */
  public record Claimed<M>(UUID id, int attempt, M message) {}

  /** Turns a claimed row into its worker's message. */
  @FunctionalInterface
  public interface Messages<M> {
    M of(UUID id, int attempt, Row row);
  }

  private final Pool pool;
  private final String table;
  private final String lease;
  private final int maxAttempts;
  private final String claimSql;
  private final Messages<M> message;

  /**
   * @param table the job table (a constant of the caller, never input)
   * @param lease how long a job stays its worker's without a heartbeat, as a PostgreSQL interval
   * @param pickNext a query selecting the id of the next job to claim, {@code FOR UPDATE SKIP LOCKED}
   *     (the owner's notion of order and fairness)
   * @param returning the columns the worker's message needs
   * @param message turns a claimed row (those columns) into the message
   */
  public LeasedQueue(Pool pool, String table, String lease, int maxAttempts, String pickNext, String returning,
      Messages<M> message) {
    this.pool = pool;
    this.table = table;
    this.lease = lease;
    this.maxAttempts = maxAttempts;
    this.message = message;
    this.claimSql = "UPDATE " + table + " SET state = 'running', attempts = attempts + 1, lease_expires_at = now() + interval '"
        + lease + "', worker_id = NULL WHERE id = (" + pickNext + ") RETURNING id, attempts, " + returning;
  }

  public int maxAttempts() {
    return maxAttempts;
  }

  /** Claims the next job (safe with several gateways: the pick skips locked rows). */
  public Future<Optional<Claimed<M>>> claimNext() {
    return pool.query(claimSql).execute().map(rows -> {
      if (rows.size() == 0) {
        return Optional.empty();
      }
      Row r = rows.iterator().next();
      UUID id = r.getUUID("id");
      int attempt = r.getInteger("attempts");
      return Optional.of(new Claimed<>(id, attempt, message.of(id, attempt, r)));
    });
  }

  /** Gives a claimed job back to the queue (no worker took it). */
  public Future<Void> unclaim(UUID id, int attempt) {
    return pool.preparedQuery("UPDATE " + table + " SET state = 'queued', attempts = attempts - 1, lease_expires_at = NULL"
            + " WHERE id = $1 AND attempts = $2 AND state = 'running'")
        .execute(Tuple.of(id, attempt)).mapEmpty();
  }

  /** Records the worker that took the job; the job started then (a claim nobody took is not a start). */
  public Future<Void> assign(UUID id, int attempt, String workerId) {
    return pool.preparedQuery("UPDATE " + table + " SET worker_id = $3, started_at = coalesce(started_at, now())"
            + " WHERE id = $1 AND attempts = $2")
        .execute(Tuple.of(id, attempt, workerId)).mapEmpty();
  }

  /** A heartbeat: the running attempt keeps its job for another lease. */
  public Future<Void> extendLease(UUID id, int attempt) {
    return pool.preparedQuery("UPDATE " + table + " SET lease_expires_at = now() + interval '" + lease + "'"
            + " WHERE id = $1 AND attempts = $2 AND state = 'running'")
        .execute(Tuple.of(id, attempt)).mapEmpty();
  }

  /** Jobs whose worker went silent: back to the queue, or failed after too many attempts. */
  public Future<List<UUID>> expireLeases() {
    return pool.query("""
            UPDATE %s SET
              state = CASE WHEN attempts >= %d THEN 'failed' ELSE 'queued' END,
              error = CASE WHEN attempts >= %d THEN 'the worker was lost %d times; giving up' ELSE error END,
              finished_at = CASE WHEN attempts >= %d THEN now() ELSE NULL END,
              lease_expires_at = NULL, worker_id = NULL
            WHERE state = 'running' AND lease_expires_at < now() RETURNING id""".formatted(table, maxAttempts, maxAttempts, maxAttempts,
            maxAttempts))
        .execute()
        .map(rows -> {
          List<UUID> ids = new ArrayList<>();
          rows.forEach(r -> ids.add(r.getUUID(0)));
          return ids;
        });
  }
}
