package com.example.starter.http;

import com.example.starter.bus.Failures;
import com.example.starter.server.ErrorBody;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.openapi.validation.ValidatorException;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every error of the router leaves in the JSON error shape ({@link ErrorBody}) with its status. */
public final class ApiErrors {

  private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

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
      LOG.debug("{}: the client's connection failed: {}", request(ctx), gone.toString());
      // Ended, so that the router does not report it; the write goes nowhere.
      ctx.response().end();
    } else {
      ctx.next();
    }
  }

  /** The request as the log names it: its id, method and path. */
  private static String request(RoutingContext ctx) {
    return RequestId.of(ctx) + " " + ctx.request().method() + " " + ctx.request().path();
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
        .end(ErrorBody.json(status, message));
  }

  /**
   * The answer to a failed event-bus request: its failure code is the status; no reply at all is a
   * 503. A 500 is a bug in the role that answered: logged here with the request id, told to the
   * client in general.
   */
  public static Handler<Throwable> busFailure(RoutingContext ctx) {
    return failure -> sendBusFailure(ctx, failure);
  }

  private static void sendBusFailure(RoutingContext ctx, Throwable failure) {
    int status = Failures.status(failure);
    // A 503 is never done: say when to try again, as the role said or, by default (send), in a
    // second.
    Failures.retryAfterSeconds(failure)
        .ifPresent(seconds -> ctx.response().putHeader("Retry-After", String.valueOf(seconds)));
    if (status == Failures.INTERNAL_ERROR) {
      LOG.error("{} failed: {}", request(ctx), failure.getMessage());
    }
    send(ctx, status, status >= 500 ? ErrorBody.ownMessage(status) : failure.getMessage());
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
      LOG.error("{} failed", request(ctx), ctx.failure());
    }
    String message = ErrorBody.ownMessage(status);
    if (message == null && status < 500) {
      message = clientMessage(ctx.failure());
    }
    send(ctx, status, message != null ? message : ErrorBody.code(status));
  }
}
