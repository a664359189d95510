package dev.aiaas.gateway.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sessions ended by a process outside the cluster ({@code aiaas admin reset-password}) reach the
 * gateways through PostgreSQL {@code NOTIFY}: the command notifies in the transaction that ends
 * them, and every gateway node listens, so they are refused at once rather than when
 * {@link LiveSessions#ALIVE_TTL} runs out. A lost connection is re-established; what is missed
 * meanwhile is still bounded by that time-to-live.
 */
public final class DatabaseSessionEndings {

  /** The channel; the payload is session ids separated by commas. */
  public static final String CHANNEL = "aiaas_sessions_ended";

  /** PostgreSQL refuses payloads of 8000 bytes and more: at most this many ids per notification. */
  public static final int IDS_PER_NOTIFICATION = 200;

  private static final Logger LOG = LoggerFactory.getLogger(DatabaseSessionEndings.class);

  private final PgSubscriber subscriber;

  private DatabaseSessionEndings(PgSubscriber subscriber) {
    this.subscriber = subscriber;
  }

  /** Listens on its own connection and ends, on this node, the sessions named in each notification. */
  public static Future<DatabaseSessionEndings> listen(Vertx vertx, PgConnectOptions database, LiveSessions sessions) {
    PgSubscriber subscriber = PgSubscriber.subscriber(vertx, database).reconnectPolicy(retries -> 1_000L);
    subscriber.channel(CHANNEL).handler(payload -> {
      for (String id : payload.split(",")) {
        try {
          sessions.endedHere(UUID.fromString(id.trim()));
        } catch (IllegalArgumentException e) {
          LOG.warn("ignored a malformed session id on {}", CHANNEL);
        }
      }
    });
    return subscriber.connect().map(v -> new DatabaseSessionEndings(subscriber));
  }

  /** The payloads that announce {@code sessionIds}, each small enough for one {@code NOTIFY}. */
  public static List<String> payloads(List<UUID> sessionIds) {
    List<String> payloads = new ArrayList<>();
    for (int from = 0; from < sessionIds.size(); from += IDS_PER_NOTIFICATION) {
      payloads.add(String.join(",", sessionIds.subList(from, Math.min(sessionIds.size(), from + IDS_PER_NOTIFICATION)).stream()
          .map(UUID::toString).toList()));
    }
    return payloads;
  }

  public Future<Void> close() {
    return subscriber.close();
  }
}
