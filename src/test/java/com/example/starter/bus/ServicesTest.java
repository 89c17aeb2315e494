package com.example.starter.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.MongoException;
import com.mongodb.MongoTimeoutException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * How a service's failures reach its callers: a refusal as its code, the database as 503, a bug as
 * 500, at once.
 */
@ExtendWith(VertxExtension.class)
class ServicesTest {

  /** Long enough that an answer by timeout could not pass for an answer. */
  private static final DeliveryOptions PATIENT = new DeliveryOptions().setSendTimeout(30_000);

  private static ReplyException failureOf(
      Vertx vertx, Function<JsonObject, Future<JsonObject>> handler) {
    Services.on(vertx, "the database", MongoException.class::isInstance)
        .serve("test.service", handler)
        .await();
    Throwable[] caught = new Throwable[1];
    assertThatThrownBy(
            () -> vertx.eventBus().request("test.service", new JsonObject(), PATIENT).await())
        .isInstanceOfSatisfying(ReplyException.class, e -> caught[0] = e);
    ReplyException failure = (ReplyException) caught[0];
    assertThat(failure.failureType()).isEqualTo(ReplyFailure.RECIPIENT_FAILURE);
    return failure;
  }

  @Test
  void aRefusalIsAnsweredWithItsCode(Vertx vertx) {
    ReplyException failure =
        failureOf(
            vertx,
            request -> {
              throw new BusException(Failures.CONFLICT, "taken");
            });
    assertThat(failure.failureCode()).isEqualTo(409);
    assertThat(failure.getMessage()).isEqualTo("taken");
  }

  @Test
  void aBugThrownIsA500NotASilenceThatTimesOut(Vertx vertx) {
    ReplyException failure =
        failureOf(
            vertx,
            request -> {
              throw new NullPointerException("a bug");
            });
    assertThat(failure.failureCode()).isEqualTo(500);
    assertThat(failure.getMessage()).doesNotContain("a bug");
  }

  @Test
  void aBugInTheAnswerIsA500(Vertx vertx) {
    assertThat(
            failureOf(vertx, request -> Future.failedFuture(new IllegalStateException("a bug")))
                .failureCode())
        .isEqualTo(500);
  }

  @Test
  void aDatabaseThatDoesNotAnswerIsA503(Vertx vertx) {
    assertThat(
            failureOf(vertx, request -> Future.failedFuture(new MongoTimeoutException("no server")))
                .failureCode())
        .isEqualTo(503);
  }
}
