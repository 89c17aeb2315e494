package com.example.starter.bus;

import com.mongodb.MongoException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves an address with a function from request to reply, turning its failures into failure codes.
 */
public final class Services {

  private static final Logger LOG = LoggerFactory.getLogger(Services.class);

  private Services() {}

  /** Completes once the consumer is registered (across the cluster, when clustered). */
  public static Future<Void> serve(
      Vertx vertx, String address, Function<JsonObject, Future<JsonObject>> handler) {
    return serve(vertx, address, (request, deadline) -> handler.apply(request));
  }

  /**
   * The same, for a service that checks the caller's deadline again before slow steps. Either way a
   * request whose caller has stopped waiting is not started.
   */
  public static Future<Void> serve(
      Vertx vertx, String address, BiFunction<JsonObject, Deadline, Future<JsonObject>> handler) {
    return vertx
        .eventBus()
        .<JsonObject>consumer(address, message -> answer(message, handler))
        .completion();
  }

  private static void answer(
      Message<JsonObject> message, BiFunction<JsonObject, Deadline, Future<JsonObject>> handler) {
    Future<JsonObject> result;
    try {
      Deadline deadline = Deadline.of(message);
      deadline.check();
      result = handler.apply(message.body(), deadline);
    } catch (RuntimeException thrown) {
      result = Future.failedFuture(thrown);
    }
    result.onComplete(message::reply, failure -> fail(message, failure));
  }

  /**
   * A {@link BusException} is answered as it is. A database that fails or does not answer is a 503:
   * the request may succeed later. Anything else is a bug: a 500, with its stack in the log.
   */
  private static void fail(Message<?> message, Throwable failure) {
    if (failure instanceof BusException known) {
      message.fail(known.code(), known.getMessage());
    } else if (failure instanceof MongoException) {
      LOG.warn(
          "{} failed: the database did not answer: {}", message.address(), failure.getMessage());
      message.fail(Failures.UNAVAILABLE, "the database is not answering");
    } else {
      LOG.error("{} failed", message.address(), failure);
      message.fail(Failures.INTERNAL_ERROR, "the service failed to handle the request");
    }
  }
}
