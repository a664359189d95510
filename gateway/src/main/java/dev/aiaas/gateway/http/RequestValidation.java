package dev.aiaas.gateway.http;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.validation.RequestValidator;
import io.vertx.openapi.validation.ValidatorException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Checks a request against its operation in the OpenAPI contract (parameters, body schema,
 * unknown fields) before any handler sees it. A violation is a 400 problem whose {@code errors}
 * name each offending field once, saying what the contract expects there ({@link FieldErrors}).
 */
final class RequestValidation {

  /** Fields named in the problem's {@code detail}; all of them are in {@code errors}. */
  private static final int FIELDS_IN_DETAIL = 3;

  private final RequestValidator validator;
  private final SchemaWording wording;
  private final RequestExtractor extractor = RequestExtractor.withBodyHandler();

  RequestValidation(RequestValidator validator, JsonObject contract) {
    this.validator = validator;
    this.wording = new SchemaWording(contract);
  }

  /** The validation step of {@code operation}: its dedicated check first, if it has one, else (or if unsure) the contract's. */
  Handler<RoutingContext> forOperation(Operation operation, Optional<ContractCheck> check) {
    Handler<RoutingContext> generic = forOperation(operation);
    if (check.isEmpty()) {
      return generic;
    }
    ContractCheck dedicated = check.get();
    return ctx -> {
      boolean valid;
      try {
        valid = dedicated.certainlyValid(ctx);
      } catch (RuntimeException e) {
        valid = false; // unsure: the generic validator decides, and words the 400
      }
      if (valid) {
        ctx.next();
      } else {
        generic.handle(ctx);
      }
    };
  }

  Handler<RoutingContext> forOperation(Operation operation) {
    return ctx -> extractor.extractValidatableRequest(ctx, operation)
        .compose(request -> validator.validate(request, operation.getOperationId()))
        .onSuccess(validated -> ctx.next())
        .onFailure(failure -> ctx.fail(failure instanceof ValidatorException ? toProblem(ctx, operation) : failure));
  }

  /** The 400 for a request the validator refused, naming every offending parameter and body field. */
  ApiException toProblem(RoutingContext ctx, Operation operation) {
    FieldErrors errors = new FieldErrors(wording);
    for (Parameter parameter : operation.getParameters()) {
      checkParameter(ctx, parameter, errors);
    }
    if (operation.getRequestBody() != null) {
      checkBody(ctx, operation.getRequestBody().getOpenAPIModel(), errors);
    }
    if (errors.isEmpty()) {
      // The validator saw something the explanation does not cover: still name the request.
      errors.add("request", "does not match the contract of " + operation.getOperationId());
    }
    JsonArray list = errors.toJson();
    String detail = "invalid request: " + list.stream().limit(FIELDS_IN_DETAIL)
        .map(e -> ((JsonObject) e).getString("field") + ": " + ((JsonObject) e).getString("message"))
        .collect(Collectors.joining("; ")) + (list.size() > FIELDS_IN_DETAIL ? "; ..." : "");
    return ApiException.badRequest("validation-failed", detail).withFieldErrors(list);
  }

  private void checkParameter(RoutingContext ctx, Parameter parameter, FieldErrors errors) {
    JsonObject model = parameter.getOpenAPIModel();
    JsonObject schema = model.getJsonObject("schema", new JsonObject());
    String name = parameter.getName();
    List<String> values = switch (parameter.getIn()) {
      case PATH -> ctx.pathParam(name) == null ? List.of() : List.of(ctx.pathParam(name));
      case QUERY -> ctx.queryParam(name);
      case HEADER -> ctx.request().headers().getAll(name);
      default -> List.of();
    };
    if (values.isEmpty()) {
      if (parameter.isRequired()) {
        errors.missing(name, schema);
      }
      return;
    }
    JsonObject resolved = wording.resolve(schema);
    Object value = SchemaWording.types(resolved).contains("array")
        ? new JsonArray(values.stream().map(v -> coerce(v, wording.resolve(resolved.getJsonObject("items", new JsonObject())))).toList())
        : coerce(values.get(0), resolved);
    errors.check(name, value, schema);
  }

  /** A parameter's text as the JSON value its schema asks for; left as text when it is not one. */
  private static Object coerce(String text, JsonObject schema) {
    List<String> types = SchemaWording.types(schema);
    if ((types.contains("integer") || types.contains("number")) && text.matches("-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?")) {
      return new BigDecimal(text);
    }
    if (types.contains("boolean") && (text.equals("true") || text.equals("false"))) {
      return Boolean.parseBoolean(text);
    }
    return text;
  }

  private void checkBody(RoutingContext ctx, JsonObject requestBody, FieldErrors errors) {
    JsonObject content = requestBody.getJsonObject("content", new JsonObject());
    JsonObject json = content.getJsonObject("application/json");
    if (json == null) {
      return;
    }
    JsonObject schema = json.getJsonObject("schema", new JsonObject());
    Buffer body = ctx.body() == null ? null : ctx.body().buffer();
    if (body == null || body.length() == 0) {
      if (requestBody.getBoolean("required", false)) {
        errors.missing("", schema);
      }
      return;
    }
    Object value;
    try {
      value = Json.decodeValue(body);
    } catch (DecodeException e) {
      errors.add("", "must be valid JSON");
      return;
    }
    // Objects and arrays decode as JsonObject and JsonArray, the shapes FieldErrors walks.
    errors.check("", value, schema);
  }
}
