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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a request against its operation in the OpenAPI contract (parameters, body schema,
 * unknown fields) before any handler sees it. A violation is a 400 problem whose {@code errors}
 * name each offending field.
 */
final class RequestValidation {

  /** How vertx-openapi names the parameter in its messages ("... path parameter id ..."). */
  private static final Pattern PARAMETER = Pattern.compile("(?:path|query|header|cookie) parameter (\\S+?)[ .:]");

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
      // A parameter's errors point at the root of the parameter's value: name the parameter.
      Matcher parameter = PARAMETER.matcher(String.valueOf(schema.getMessage()));
      String prefix = parameter.find() ? parameter.group(1) : null;
      JsonArray errors = new JsonArray();
      for (OutputUnit unit : leaves(schema.getOutputUnit())) {
        String field = field(unit.getInstanceLocation());
        if (prefix != null) {
          field = field.equals("body") ? prefix : prefix + "." + field;
        }
        errors.add(new JsonObject().put("field", field).put("message", unit.getError()));
      }
      String detail = errors.isEmpty() ? schema.getMessage()
          : "invalid request: " + errors.getJsonObject(0).getString("field") + ": " + errors.getJsonObject(0).getString("message");
      return ApiException.badRequest("validation-failed", detail).withFieldErrors(errors);
    }
    if (failure instanceof ValidatorException invalid) {
      Matcher parameter = PARAMETER.matcher(String.valueOf(invalid.getMessage()));
      ApiException problem = ApiException.badRequest("validation-failed", invalid.getMessage());
      return parameter.find()
          ? problem.withFieldErrors(new JsonArray().add(new JsonObject().put("field", parameter.group(1)).put("message", invalid.getMessage())))
          : problem;
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
