package dev.aiaas.gateway.serving;

import dev.aiaas.gateway.http.ContractCheck;
import dev.aiaas.worker.api.ExplainRequest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The predict request's contract ({@code PredictRequest} and the model name), checked by hand:
 * one pass over the instances asking only "object or array?", where the generic schema validator
 * walked every value of every instance (the instances' own values are the worker's to check,
 * against the model's columns). The body is parsed once, and the handler reads that parse. The
 * explain request ({@code ExplainRequest}) is checked the same way, with its own limit and
 * its optional {@code steps}.
 */
final class PredictRequestCheck implements ContractCheck {

  /** The contract's {@code ModelName} pattern. */
  static final Pattern MODEL_NAME = Pattern.compile("^[a-z0-9][a-z0-9_-]{0,62}$");

  /** The contract's {@code maxItems} of {@code instances}. */
  static final int MAX_INSTANCES = 10_000;

  /** The contract's {@code maxItems} of {@code ExplainRequest.instances}: each instance costs a gradient pass over its path. */
  static final int MAX_EXPLAIN_INSTANCES = 1_000;

  private static final String JSON = "application/json";

  private final boolean explain;

  /** The predict request's check. */
  PredictRequestCheck() {
    this(false);
  }

  private PredictRequestCheck(boolean explain) {
    this.explain = explain;
  }

  /** The explain request's check. */
  static PredictRequestCheck forExplain() {
    return new PredictRequestCheck(true);
  }

  @Override
  public boolean certainlyValid(RoutingContext ctx) {
    Buffer body = ctx.body() == null ? null : ctx.body().buffer();
    // the parse is cached: the handler reads this same object
    Supplier<JsonObject> parsed = () -> ctx.body().asJsonObject();
    String name = ctx.pathParam("name");
    String contentType = ctx.request().getHeader("Content-Type");
    return explain ? explainCertainlyValid(name, contentType, body, parsed) : certainlyValid(name, contentType, body, parsed);
  }

  /** The predict check on the request's parts; {@code parsed} is asked for only once the body looks like an object. */
  static boolean certainlyValid(String name, String contentType, Buffer body, Supplier<JsonObject> parsed) {
    return certainlyValid(name, contentType, body, parsed, false);
  }

  /** The explain check on the request's parts. */
  static boolean explainCertainlyValid(String name, String contentType, Buffer body, Supplier<JsonObject> parsed) {
    return certainlyValid(name, contentType, body, parsed, true);
  }

  private static boolean certainlyValid(String name, String contentType, Buffer body, Supplier<JsonObject> parsed,
      boolean explain) {
    if (name == null || !MODEL_NAME.matcher(name).matches()) {
      return false;
    }
    // As the contract's validator compares it: case-sensitive, parameters allowed.
    if (contentType == null || !(contentType.equals(JSON) || contentType.startsWith(JSON + ";"))) {
      return false;
    }
    if (body == null || !startsAnObject(body)) {
      return false;
    }
    JsonObject request = parsed.get();
    int keys = explain && request.containsKey("steps") ? 2 : 1;
    if (request.size() != keys || !(request.getValue("instances") instanceof JsonArray instances)
        || instances.isEmpty() || instances.size() > (explain ? MAX_EXPLAIN_INSTANCES : MAX_INSTANCES)) {
      return false;
    }
    if (keys == 2 && !(request.getValue("steps") instanceof Integer steps
        && steps >= ExplainRequest.MIN_STEPS && steps <= ExplainRequest.MAX_STEPS)) {
      return false;
    }
    for (Object instance : instances.getList()) {
      if (!(instance instanceof JsonObject || instance instanceof Map || instance instanceof JsonArray || instance instanceof List)) {
        return false;
      }
    }
    return true;
  }

  /** A JSON array or scalar would fail the parse into an object: leave those to the generic validator. */
  private static boolean startsAnObject(Buffer body) {
    for (int i = 0; i < body.length(); i++) {
      byte b = body.getByte(i);
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        return b == '{';
      }
    }
    return false;
  }
}
