package dev.aiaas.gateway.idempotency;

import dev.aiaas.crypto.DataKeys;
import dev.aiaas.gateway.auth.Hashing;
import dev.aiaas.gateway.auth.Principal;
import dev.aiaas.gateway.auth.Principals;
import dev.aiaas.gateway.http.ApiException;
import dev.aiaas.gateway.http.ReplyHooks;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * {@code Idempotency-Key} on POST requests, with Stripe's semantics: the first request with a
 * key runs and its successful response is kept for 24 hours; a retry with the same key and the
 * same body gets that response again (marked {@code Idempotent-Replayed: true}) without running
 * or being metered again; the same key with another body is a 422; a retry while the first is
 * still running is a 409. A request that fails leaves the key free for a fresh attempt.
 */
public final class Idempotency implements Handler<RoutingContext> {

  /** The request header. */
  public static final String HEADER = "Idempotency-Key";

  private static final Pattern VALID_KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");

  /** Stored instead of a response that held a once-only secret (secrets are never stored). */
  private static final String SECRET_WITHHELD = "{\"secret_withheld\":true}";

  private final IdempotencyStore store;

  /** {@code keys}: a tenant's kept responses are sealed under its data key. */
  public Idempotency(Pool pool, DataKeys keys) {
    this.store = new IdempotencyStore(pool, keys);
  }

  /** Deletes keys older than a day, every hour. */
  public long scheduleExpiry(Vertx vertx) {
    return vertx.setPeriodic(Duration.ofHours(1).toMillis(), id -> store.expire());
  }

  @Override
  public void handle(RoutingContext ctx) {
    String key = ctx.request().getHeader(HEADER);
    if (key == null || ctx.request().method() != HttpMethod.POST) {
      ctx.next();
      return;
    }
    if (!VALID_KEY.matcher(key).matches()) {
      ctx.fail(ApiException.badRequest("invalid-idempotency-key", HEADER + " must be 1 to 255 printable ASCII characters"));
      return;
    }
    Principal principal = Principals.of(ctx);
    String scope = principal.tenantId().map(IdempotencyStore::tenantScope).orElse("principal:" + principal.id());
    byte[] hash = requestHash(ctx);
    store.claim(scope, key, hash).onSuccess(claimed -> {
      if (claimed) {
        ReplyHooks.add(ctx, reply -> store.complete(scope, key, reply.status(),
            reply.holdsSecret() ? SECRET_WITHHELD : reply.body() == null ? null : reply.body().encode()).map(reply));
        ctx.addEndHandler(ended -> {
          if (ctx.response().getStatusCode() >= 300) {
            store.release(scope, key);
          }
        });
        ctx.next();
      } else {
        replay(ctx, scope, key, hash);
      }
    }).onFailure(ctx::fail);
  }

  private void replay(RoutingContext ctx, String scope, String key, byte[] hash) {
    store.earlier(scope, key).onSuccess(found -> {
      if (found.isEmpty()) {
        // The first request failed and freed the key between our claim and this read.
        ctx.fail(ApiException.conflict("idempotency-retry", "the first request with this " + HEADER + " just failed; retry"));
        return;
      }
      IdempotencyStore.Earlier earlier = found.get();
      if (!MessageDigest.isEqual(earlier.requestHash(), hash)) {
        ctx.fail(new ApiException(422, "idempotency-key-reused", "Unprocessable content",
            "this " + HEADER + " was used for a different request; use a new key for a new request"));
        return;
      }
      if (earlier.status().isEmpty()) {
        ctx.fail(ApiException.conflict("idempotency-in-progress", "a request with this " + HEADER + " is still being processed")
            .withHeader("Retry-After", "1"));
        return;
      }
      if (earlier.body().filter(SECRET_WITHHELD::equals).isPresent()) {
        ctx.fail(ApiException.conflict("idempotent-replay-unavailable", "the first request with this " + HEADER
            + " succeeded, but its response held a secret that is shown only once; list the resource to find it"));
        return;
      }
      ctx.response().setStatusCode(earlier.status().get()).putHeader("Idempotent-Replayed", "true");
      if (earlier.body().isPresent()) {
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(earlier.body().get());
      } else {
        ctx.response().end();
      }
    }).onFailure(ctx::fail);
  }

  /** Method, path and body: "the same request" for the purpose of a retry. */
  private static byte[] requestHash(RoutingContext ctx) {
    String body = ctx.body() == null || ctx.body().buffer() == null ? "" : ctx.body().asString();
    return Hashing.sha256(ctx.request().method() + " " + ctx.request().path() + "\n" + body);
  }
}
