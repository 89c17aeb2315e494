package com.example.starter.http;

import com.example.starter.bus.BusClient;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatedRequest;
import java.util.Map;
import java.util.Optional;

/**
 * Operations the contract hands straight to a role, {@code x-vertx-event-bus: {address: ...}} on
 * the operation (the extension Vert.x's Web API Service reads): no handler to write. The bus
 * request is the operation's input as validated: its JSON body's fields, then its path and query
 * parameters by name (only those it declares); the reply is the 200 answer, and a failure is
 * answered with its status ({@link ApiErrors#busFailure}).
 */
final class BusOperations {

  static final String EXTENSION = "x-vertx-event-bus";

  private BusOperations() {}

  /** The address the operation names, if it names one. */
  static Optional<String> address(Operation operation) {
    return operation.getExtensions().get(EXTENSION) instanceof JsonObject extension
        ? Optional.ofNullable(extension.getString("address"))
        : Optional.empty();
  }

  static Handler<RoutingContext> forwardTo(BusClient bus, String address) {
    return ctx -> bus.request(address, input(ctx)).onComplete(ctx::json, ApiErrors.busFailure(ctx));
  }

  private static JsonObject input(RoutingContext ctx) {
    JsonObject input = new JsonObject();
    ValidatedRequest validated = ctx.get(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST);
    if (validated == null) {
      // An operation that takes no input is not validated (HttpRouter): it has none to forward.
      return input;
    }
    RequestParameter body = validated.getBody();
    if (body != null && body.get() instanceof JsonObject fields) {
      input.mergeIn(fields);
    }
    put(input, validated.getPathParameters());
    put(input, validated.getQuery());
    return input;
  }

  private static void put(JsonObject input, Map<String, RequestParameter> parameters) {
    parameters.forEach((name, value) -> input.put(name, value.get()));
  }
}
