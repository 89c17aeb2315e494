package com.example.starter.http;

import com.example.starter.bus.Failures;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.openapi.validation.ValidatorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/** Every error leaves as {@code {"error": "<code>", "message": "<text>"}} with its status. */
public final class ApiErrors {

  private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

  private static final Map<Integer, String> CODES = Map.ofEntries(
    Map.entry(400, "bad_request"),
    Map.entry(401, "unauthorized"),
    Map.entry(403, "forbidden"),
    Map.entry(404, "not_found"),
    Map.entry(405, "method_not_allowed"),
    Map.entry(409, "conflict"),
    Map.entry(413, "payload_too_large"),
    Map.entry(415, "unsupported_media_type"),
    Map.entry(429, "too_many_requests"),
    Map.entry(500, "internal_error"),
    Map.entry(503, "unavailable"));

  private static final Map<Integer, String> DEFAULT_MESSAGES = Map.of(
    404, "no such resource",
    405, "this resource does not accept that method",
    413, "the request body is larger than allowed",
    415, "send the request body as application/json",
    500, "the server failed to handle the request",
    503, "a service this request needs is not available");

  private ApiErrors() {
  }

  /** Makes the router answer its own failures (no route, bad method, body too large...) as JSON. */
  static void install(Router router) {
    for (int status : CODES.keySet()) {
      router.errorHandler(status, ApiErrors::fromFailedContext);
    }
  }

  public static void send(RoutingContext ctx, int status, String message) {
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    ctx.response()
      .setStatusCode(status)
      .putHeader("Content-Type", "application/json")
      .end(new JsonObject()
        .put("error", CODES.getOrDefault(status, "error"))
        .put("message", message)
        .encode());
  }

  /** A failed event-bus request: its failure code is the status; no reply at all is a 503. */
  public static void sendBusFailure(RoutingContext ctx, Throwable failure) {
    int status = Failures.status(failure);
    send(ctx, status, status == Failures.UNAVAILABLE ? DEFAULT_MESSAGES.get(503) : failure.getMessage());
  }

  /** What a 4xx tells the client: the validator's reason for a request that breaks the API contract. */
  private static String clientMessage(Throwable failure) {
    if (failure instanceof HttpException http) {
      return http.getCause() instanceof ValidatorException invalid ? invalid.getMessage() : http.getPayload();
    }
    return failure == null ? null : failure.getMessage();
  }

  private static void fromFailedContext(RoutingContext ctx) {
    // A failed bus request (the session store's) carries its status; any other exception is a 500.
    int status = ctx.failure() instanceof ReplyException ? Failures.status(ctx.failure())
      : ctx.statusCode() != -1 ? ctx.statusCode() : 500;
    if (status >= 500) {
      LOG.error("{} {} {} failed", RequestId.of(ctx), ctx.request().method(), ctx.request().path(), ctx.failure());
    }
    String message = DEFAULT_MESSAGES.get(status);
    if (message == null && status < 500) {
      message = clientMessage(ctx.failure());
    }
    send(ctx, status, message != null ? message : CODES.getOrDefault(status, "error"));
  }
}
