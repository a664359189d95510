package dev.aiaas.gateway.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads {@code openapi.yaml} for the router and request validation. The copy vertx-openapi gets
 * differs from the file clients download in three ways: its server is absolute (vertx-openapi
 * cannot read the relative one clients get), media types it refuses are mapped to ones it
 * accepts (responses are not validated, and the bodies of streamed uploads are checked by their
 * handlers), and the {@code security} requirements are left out, because the
 * gateway's own {@code Authenticator} enforces them (vertx-openapi would otherwise insist on its
 * own authentication handlers).
 */
final class ContractLoader {

  private static final Map<String, String> RESPONSE_TYPES_FOR_VALIDATOR = Map.of(
      "application/problem+json", "application/json",
      "application/yaml", "text/plain",
      "text/csv", "text/plain",
      "application/zip", "application/octet-stream",
      "text/event-stream", "text/plain",
      "application/x-ndjson", "text/plain");

  private ContractLoader() {}

  /** The contract as clients download it, as JSON (the explanations of validation errors read its schemas). */
  static JsonObject parse(Buffer yaml) {
    Map<String, Object> raw = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml.toString());
    return new JsonObject(raw);
  }

  static Future<OpenAPIContract> load(Vertx vertx, JsonObject downloaded) {
    JsonObject contract = downloaded.copy();
    contract.remove("security");
    // Clients get a relative server ("/", wherever the gateway listens); vertx-openapi only reads
    // absolute URLs, and only for their path, which is empty here.
    contract.put("servers", new JsonArray().add(new JsonObject().put("url", "http://localhost")));
    contract.getJsonObject("paths").forEach(path -> ((JsonObject) path.getValue()).forEach(operation -> {
      if (operation.getValue() instanceof JsonObject op && op.containsKey("responses")) {
        op.remove("security");
        op.getJsonObject("responses").forEach(response -> rewrite((JsonObject) response.getValue()));
        // Streamed uploads (CSV, zip) are checked by their handler, not by the validator.
        if (op.containsKey("requestBody")) {
          rewrite(op.getJsonObject("requestBody"));
        }
      }
    }));
    contract.getJsonObject("components").getJsonObject("responses", new JsonObject())
        .forEach(response -> rewrite((JsonObject) response.getValue()));
    return OpenAPIContract.from(vertx, contract);
  }

  private static void rewrite(JsonObject response) {
    JsonObject content = response.getJsonObject("content");
    if (content == null) {
      return;
    }
    RESPONSE_TYPES_FOR_VALIDATOR.forEach((from, to) -> {
      if (content.containsKey(from) && !content.containsKey(to)) {
        content.put(to, content.remove(from));
      } else {
        content.remove(from);
      }
    });
  }
}
