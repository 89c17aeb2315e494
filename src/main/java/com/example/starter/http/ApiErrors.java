package com.example.starter.http;

import com.example.starter.bus.Failures;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.openapi.validation.ValidatorException;
import java.io.IOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every error leaves as {@code {"error": "<code>", "message": "<text>"}} with its status. */
public final class ApiErrors {

  private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

  private static final Map<Integer, String> CODES =
      Map.ofEntries(
          Map.entry(400, "bad_request"),
          Map.entry(401, "unauthorized"),
          Map.entry(403, "forbidden"),
          Map.entry(404, "not_found"),
          Map.entry(405, "method_not_allowed"),
          Map.entry(409, "conflict"),
          Map.entry(410, "gone"),
          Map.entry(411, "length_required"),
          Map.entry(413, "payload_too_large"),
          Map.entry(408, "request_timeout"),
          Map.entry(414, "uri_too_long"),
          Map.entry(415, "unsupported_media_type"),
          Map.entry(416, "range_not_satisfiable"),
          Map.entry(417, "expectation_failed"),
          Map.entry(426, "upgrade_required"),
          Map.entry(431, "header_fields_too_large"),
          Map.entry(429, "too_many_requests"),
          Map.entry(500, "internal_error"),
          Map.entry(503, "unavailable"));

  private static final Map<Integer, String> DEFAULT_MESSAGES =
      Map.ofEntries(
          Map.entry(404, "no such resource"),
          Map.entry(405, "this resource does not accept that method"),
          Map.entry(408, "the request took too long to arrive"),
          Map.entry(413, "the request body is larger than allowed"),
          Map.entry(414, "the request line is longer than allowed"),
          Map.entry(415, "send the request body as application/json"),
          Map.entry(416, "the requested range is not in the resource"),
          Map.entry(417, "the only expectation understood is 100-continue"),
          Map.entry(431, "the request headers are larger than allowed"),
          Map.entry(500, "the server failed to handle the request"),
          Map.entry(503, "a service this request needs is not available"));

  private ApiErrors() {}

  /**
   * Makes the router answer its own failures (no route, bad method, body too large...) as JSON,
   * whatever the status.
   */
  static void install(Router router) {
    router.route().failureHandler(ApiErrors::unlessTheClientWentAway);
    for (int status = 400; status < 600; status++) {
      router.errorHandler(status, ApiErrors::fromFailedContext);
    }
  }

  /**
   * A client that went away mid-request (its reset reaches the body handler as a failure, with the
   * status still 200) leaves nothing to answer and nothing of ours failed: a line at DEBUG.
   */
  private static void unlessTheClientWentAway(RoutingContext ctx) {
    if (ctx.failure() instanceof IOException gone) {
      LOG.debug(
          "{} {} {}: the client's connection failed: {}",
          RequestId.of(ctx),
          ctx.request().method(),
          ctx.request().path(),
          gone.toString());
      // Ended, so that the router does not report it; the write goes nowhere.
      ctx.response().end();
    } else {
      ctx.next();
    }
  }

  public static void send(RoutingContext ctx, int status, String message) {
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    // Every 503 says when to try again, whichever path made it (a role's own figure is set before).
    if (status == Failures.UNAVAILABLE && !ctx.response().headers().contains("Retry-After")) {
      ctx.response().putHeader("Retry-After", "1");
    }
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(body(status, message));
  }

  /** The error shape, for answers made outside the router. */
  public static String body(int status, String message) {
    return new JsonObject()
        .put("error", CODES.getOrDefault(status, "error"))
        .put(
            "message",
            message != null
                ? message
                : DEFAULT_MESSAGES.getOrDefault(status, CODES.getOrDefault(status, "error")))
        .encode();
  }

  /**
   * A failed event-bus request: its failure code is the status; no reply at all is a 503. A 500 is
   * a bug in the role that answered: logged here with the request id, told to the client in
   * general.
   */
  public static void sendBusFailure(RoutingContext ctx, Throwable failure) {
    int status = Failures.status(failure);
    // A 503 is never done: say when to try again, as the role said or, by default (send), in a
    // second.
    Failures.retryAfterSeconds(failure)
        .ifPresent(seconds -> ctx.response().putHeader("Retry-After", String.valueOf(seconds)));
    if (status == Failures.INTERNAL_ERROR) {
      LOG.error(
          "{} {} {} failed: {}",
          RequestId.of(ctx),
          ctx.request().method(),
          ctx.request().path(),
          failure.getMessage());
    }
    send(ctx, status, status >= 500 ? DEFAULT_MESSAGES.get(status) : failure.getMessage());
  }

  /**
   * What a 4xx tells the client: the validator's reason for a request that breaks the API contract.
   */
  private static String clientMessage(Throwable failure) {
    if (failure instanceof HttpException http) {
      return http.getCause() instanceof ValidatorException invalid
          ? invalid.getMessage()
          : http.getPayload();
    }
    return failure == null ? null : failure.getMessage();
  }

  private static void fromFailedContext(RoutingContext ctx) {
    // A failed bus request (the session store's) carries its status; any other exception is a 500.
    int status =
        ctx.failure() instanceof ReplyException
            ? Failures.status(ctx.failure())
            : ctx.statusCode() != -1 ? ctx.statusCode() : 500;
    if (status >= 500) {
      LOG.error(
          "{} {} {} failed",
          RequestId.of(ctx),
          ctx.request().method(),
          ctx.request().path(),
          ctx.failure());
    }
    String message = DEFAULT_MESSAGES.get(status);
    if (message == null && status < 500) {
      message = clientMessage(ctx.failure());
    }
    send(ctx, status, message != null ? message : CODES.getOrDefault(status, "error"));
  }
}
