package com.example.starter.bus;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Function;

/** Serves an address with a function from request to reply, turning its failures into failure codes. */
public final class Services {

  private static final Logger LOG = LoggerFactory.getLogger(Services.class);

  private Services() {
  }

  /** Completes once the consumer is registered (across the cluster, when clustered). */
  public static Future<Void> serve(Vertx vertx, String address, Function<JsonObject, Future<JsonObject>> handler) {
    return vertx.eventBus().<JsonObject>consumer(address, message -> answer(message, handler)).completion();
  }

  private static void answer(Message<JsonObject> message, Function<JsonObject, Future<JsonObject>> handler) {
    Future<JsonObject> result;
    try {
      result = handler.apply(message.body());
    } catch (BusException refused) {
      result = Future.failedFuture(refused);
    }
    result.onComplete(message::reply, failure -> fail(message, failure));
  }

  /**
   * A {@link BusException} is answered as it is; anything else means the database, the only other
   * thing a service waits on, failed: the caller hears 503 and the log gets the cause.
   */
  private static void fail(Message<?> message, Throwable failure) {
    if (failure instanceof BusException known) {
      message.fail(known.code(), known.getMessage());
    } else {
      LOG.warn("{} failed", message.address(), failure);
      message.fail(Failures.UNAVAILABLE, "the database is not answering");
    }
  }
}
