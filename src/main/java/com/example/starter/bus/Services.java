package com.example.starter.bus;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves addresses with functions from request to reply, turning their failures into failure codes.
 * A role that depends on something which may stop answering (its database) says how to recognise
 * that failure, which is then a 503 instead of a bug's 500.
 */
public final class Services {

  private static final Logger LOG = LoggerFactory.getLogger(Services.class);

  private final Vertx vertx;
  private final String dependency;
  private final Predicate<Throwable> unavailable;

  private Services(Vertx vertx, String dependency, Predicate<Throwable> unavailable) {
    this.vertx = vertx;
    this.dependency = dependency;
    this.unavailable = unavailable;
  }

  /** For a role that depends on nothing that may stop answering. */
  public static Services on(Vertx vertx) {
    return new Services(vertx, "nothing", failure -> false);
  }

  /** The failures {@code unavailable} recognises are {@code dependency} not answering: a 503. */
  public static Services on(Vertx vertx, String dependency, Predicate<Throwable> unavailable) {
    return new Services(vertx, dependency, unavailable);
  }

  /** Completes once the consumer is registered (across the cluster, when clustered). */
  public Future<Void> serve(String address, Function<JsonObject, Future<JsonObject>> handler) {
    return serve(address, (request, deadline) -> handler.apply(request));
  }

  /**
   * The same, for a service that checks the caller's deadline again before slow steps. Either way a
   * request whose caller has stopped waiting is not started.
   */
  public Future<Void> serve(
      String address, BiFunction<JsonObject, Deadline, Future<JsonObject>> handler) {
    return vertx
        .eventBus()
        .<JsonObject>consumer(address, message -> answer(message, handler))
        .completion();
  }

  private void answer(
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
   * A {@link BusException} is answered as it is. The dependency failing or not answering is a 503:
   * the request may succeed later. Anything else is a bug: a 500, with its stack in the log.
   */
  private void fail(Message<?> message, Throwable failure) {
    if (failure instanceof BusException known) {
      message.fail(known.code(), known.getMessage());
    } else if (unavailable.test(failure)) {
      LOG.warn(
          "{} failed: {} did not answer: {}", message.address(), dependency, failure.getMessage());
      message.fail(Failures.UNAVAILABLE, dependency + " is not answering");
    } else {
      LOG.error("{} failed", message.address(), failure);
      message.fail(Failures.INTERNAL_ERROR, "the service failed to handle the request");
    }
  }
}
