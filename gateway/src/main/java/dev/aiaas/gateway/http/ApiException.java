package dev.aiaas.gateway.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * A request that cannot be served, with the HTTP status and the stable problem slug the client
 * sees ({@code urn:aiaas:problem:<slug>}). The one exception type routes fail with;
 * {@link FailureHandler} writes it as problem+json.
 */
public final class ApiException extends RuntimeException {

  private final int status;
  private final String slug;
  private final String title;
  private final JsonObject extensions;
  private final Map<String, String> headers;

  public ApiException(int status, String slug, String title, String detail) {
    this(status, slug, title, detail, new JsonObject(), Map.of());
  }

  private ApiException(int status, String slug, String title, String detail, JsonObject extensions, Map<String, String> headers) {
    // No stack trace: client errors are expected and logged without one.
    super(detail, null, false, false);
    this.status = status;
    this.slug = slug;
    this.title = title;
    this.extensions = extensions;
    this.headers = headers;
  }

  public static ApiException unauthorized(String detail) {
    return new ApiException(401, "unauthorized", "Unauthorized", detail)
        .withHeader("WWW-Authenticate", "Bearer realm=\"aiaas\"");
  }

  public static ApiException forbidden(String slug, String detail) {
    return new ApiException(403, slug, "Forbidden", detail);
  }

  public static ApiException conflict(String slug, String detail) {
    return new ApiException(409, slug, "Conflict", detail);
  }

  public static ApiException tooManyRequests(String slug, String detail, long retryAfterSeconds) {
    return new ApiException(429, slug, "Too many requests", detail)
        .withHeader("Retry-After", Long.toString(Math.max(1, retryAfterSeconds)));
  }

  /** A copy with one more response header (Retry-After, WWW-Authenticate, rate limit headers). */
  public ApiException withHeader(String name, String value) {
    Map<String, String> all = new HashMap<>(headers);
    all.put(name, value);
    return new ApiException(status, slug, title, getMessage(), extensions, Map.copyOf(all));
  }

  public Map<String, String> headers() {
    return headers;
  }

  public static ApiException badRequest(String slug, String detail) {
    return new ApiException(400, slug, "Bad request", detail);
  }

  public static ApiException notFound(String detail) {
    return new ApiException(404, "not-found", "Not found", detail);
  }

  public static ApiException unavailable(String slug, String detail) {
    return new ApiException(503, slug, "Service unavailable", detail);
  }

  /** A copy carrying per-field validation errors ({@code errors: [{field, message}]}). */
  public ApiException withFieldErrors(JsonArray errors) {
    return withExtension("errors", errors);
  }

  /** A copy with one more member in the problem document (e.g. {@code limit}, {@code used}). */
  public ApiException withExtension(String name, Object value) {
    return new ApiException(status, slug, title, getMessage(), extensions.copy().put(name, value), headers);
  }

  public int status() {
    return status;
  }

  public String slug() {
    return slug;
  }

  public String title() {
    return title;
  }

  public String detail() {
    return getMessage();
  }

  public JsonObject extensions() {
    return extensions.copy();
  }
}
