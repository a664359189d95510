package dev.aiaas.gateway.http;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.RequestValidator;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorException;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a request against its operation in the OpenAPI contract (parameters, body schema,
 * unknown fields) before any handler sees it. A violation is a 400 problem whose {@code errors}
 * name each offending field.
 */
final class RequestValidation {

  private final RequestValidator validator;
  private final RequestExtractor extractor = RequestExtractor.withBodyHandler();

  RequestValidation(RequestValidator validator) {
    this.validator = validator;
  }

  Handler<RoutingContext> forOperation(Operation operation) {
    return ctx -> extractor.extractValidatableRequest(ctx, operation)
        .compose(request -> validator.validate(request, operation.getOperationId()))
        .onSuccess(validated -> ctx.next())
        .onFailure(failure -> ctx.fail(toProblem(failure)));
  }

  static Throwable toProblem(Throwable failure) {
    if (failure instanceof SchemaValidationException schema) {
      JsonArray errors = new JsonArray();
      for (OutputUnit unit : leaves(schema.getOutputUnit())) {
        errors.add(new JsonObject().put("field", field(unit.getInstanceLocation())).put("message", unit.getError()));
      }
      String detail = errors.isEmpty() ? schema.getMessage()
          : "invalid request: " + errors.getJsonObject(0).getString("field") + ": " + errors.getJsonObject(0).getString("message");
      return ApiException.badRequest("validation-failed", detail).withFieldErrors(errors);
    }
    if (failure instanceof ValidatorException invalid) {
      return ApiException.badRequest("validation-failed", invalid.getMessage());
    }
    return failure;
  }

  /** The innermost errors: the ones that say which field and why. */
  private static List<OutputUnit> leaves(OutputUnit unit) {
    List<OutputUnit> out = new ArrayList<>();
    if (unit == null) {
      return out;
    }
    if (unit.getErrors() == null || unit.getErrors().isEmpty()) {
      if (unit.getError() != null) {
        out.add(unit);
      }
      return out;
    }
    for (OutputUnit child : unit.getErrors()) {
      out.addAll(leaves(child));
    }
    return out;
  }

  /** JSON pointer "/hyperparameters/epochs" -> "hyperparameters.epochs"; the root is "body". */
  private static String field(String pointer) {
    if (pointer == null || pointer.isEmpty() || pointer.equals("/") || pointer.equals("#")) {
      return "body";
    }
    String p = pointer.startsWith("#") ? pointer.substring(1) : pointer;
    p = p.startsWith("/") ? p.substring(1) : p;
    return p.replace("~1", "/").replace("~0", "~").replace('/', '.');
  }
}
