package dev.aiaas.gateway.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * A small JSON client for tests: {@code app.api().as(token).post("/v1/keys", body)}. Each call
 * returns the raw response wrapped with JSON accessors, so tests can assert status, headers and
 * body.
 */
public final class Api {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final URI base;
  private final Optional<String> bearer;
  private final Optional<String> apiKeyHeader;

  private Api(URI base, Optional<String> bearer, Optional<String> apiKeyHeader) {
    this.base = base;
    this.bearer = bearer;
    this.apiKeyHeader = apiKeyHeader;
  }

  /** An anonymous client of the gateway at {@code base} (e.g. {@code http://127.0.0.1:8080}). */
  public static Api at(URI base) {
    return new Api(base, Optional.empty(), Optional.empty());
  }

  /** Signs in and returns the access token. */
  public String login(String email, String password) {
    Response response = post("/v1/auth/login", new JsonObject().put("email", email).put("password", password));
    if (response.status() != 200) {
      throw new AssertionError("login of " + email + " failed: " + response);
    }
    return response.json().getString("access_token");
  }

  /** The same client sending {@code Authorization: Bearer token} (an access token or an API key). */
  public Api as(String token) {
    return new Api(base, Optional.of(token), Optional.empty());
  }

  /** The same client sending the key in {@code X-API-Key}. */
  public Api withApiKeyHeader(String key) {
    return new Api(base, Optional.empty(), Optional.of(key));
  }

  public Response get(String path) {
    return send(request(path).GET());
  }

  public Response delete(String path) {
    return send(request(path).DELETE());
  }

  /** A DELETE with a JSON body (an erasure's confirmation). */
  public Response delete(String path, JsonObject body) {
    return send(request(path).header("Content-Type", "application/json").method("DELETE", HttpRequest.BodyPublishers.ofString(body.encode())));
  }

  public Response post(String path, JsonObject body) {
    return send(request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.encode())));
  }

  /** A POST with an {@code Idempotency-Key}. */
  public Response post(String path, JsonObject body, String idempotencyKey) {
    return send(request(path).header("Content-Type", "application/json").header("Idempotency-Key", idempotencyKey)
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())));
  }

  public Response postRaw(String path, String contentType, String body) {
    return send(request(path).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  /** A POST of raw bytes (uploads). */
  public Response postBytes(String path, String contentType, byte[] body) {
    return send(request(path).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  /** Uploads {@code csv} as dataset {@code name}, failing unless it is created; returns its id. */
  public String uploadCsv(String name, String csv) {
    Response created = postBytes("/v1/datasets?name=" + name + "&format=csv", "text/csv", csv.getBytes(StandardCharsets.UTF_8));
    if (created.status() != 201) {
      throw new AssertionError("upload of dataset " + name + " failed: " + created);
    }
    return created.json().getString("id");
  }

  /**
   * Polls a job ({@code /v1/training-jobs/ID}, {@code /v1/tuning-jobs/ID}, ...) until its {@code
   * state} is neither queued nor running, and returns it as last read.
   */
  public JsonObject awaitEnd(String path, Duration timeout) {
    return Eventually.until(() -> get(path).json(), j -> !Set.of("queued", "running").contains(j.getString("state")), timeout);
  }

  public Response patch(String path, JsonObject body) {
    return send(request(path).header("Content-Type", "application/json").method("PATCH", HttpRequest.BodyPublishers.ofString(body.encode())));
  }

  public Response put(String path, JsonObject body) {
    return send(request(path).header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body.encode())));
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
    bearer.ifPresent(t -> builder.header("Authorization", "Bearer " + t));
    apiKeyHeader.ifPresent(k -> builder.header("X-API-Key", k));
    return builder;
  }

  private Response send(HttpRequest.Builder request) {
    try {
      return new Response(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A response with JSON accessors. */
  public record Response(HttpResponse<String> raw) {

    public int status() {
      return raw.statusCode();
    }

    public JsonObject json() {
      return new JsonObject(raw.body());
    }

    public JsonArray data() {
      return json().getJsonArray("data");
    }

    public String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }

    /** The problem type slug (the part after {@code urn:aiaas:problem:}). */
    public String problem() {
      return json().getString("type").replace("urn:aiaas:problem:", "");
    }

    public String body() {
      return raw.body();
    }

    @Override
    public String toString() {
      return raw.statusCode() + " " + raw.body();
    }
  }
}
