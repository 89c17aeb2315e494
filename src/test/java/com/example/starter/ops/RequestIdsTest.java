package com.example.starter.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.starter.LogCapture;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A request's id on the bus and in the log lines of whoever handles it, and nowhere else. */
@ExtendWith(VertxExtension.class)
class RequestIdsTest {

  private static final Logger WORKER = LoggerFactory.getLogger(RequestIdsTest.class);

  @BeforeEach
  void install(Vertx vertx) {
    RequestIds.install(vertx);
    // A role's work: a log line at once, and one after an asynchronous step, as a database call.
    vertx
        .eventBus()
        .<JsonObject>consumer(
            "test.work",
            message -> {
              WORKER.info("received, header {}", message.headers().get(RequestIds.HEADER));
              vertx
                  .timer(5)
                  .onSuccess(
                      fired -> {
                        WORKER.info("done");
                        message.reply(new JsonObject());
                      });
            })
        .completion()
        .await();
  }

  /** Sends from a context of its own, as an HTTP request's, with this id (or none). */
  private static void send(Vertx vertx, String id) {
    Context request = ((ContextInternal) vertx.getOrCreateContext()).duplicate();
    Promise<Message<Object>> answered = Promise.promise();
    request.runOnContext(
        start -> {
          if (id != null) {
            RequestIds.set(request, id);
          }
          vertx.eventBus().request("test.work", new JsonObject()).onComplete(answered);
        });
    answered.future().await();
  }

  @Test
  void theIdTravelsWithTheMessageAndIsInEveryLineOfItsHandling(Vertx vertx) {
    try (LogCapture lines = LogCapture.ofEverything(RequestIdsTest.class)) {
      send(vertx, "req-1");
      assertThat(lines.messagesWithMdc(RequestIds.MDC_KEY))
          .containsExactly("received, header req-1 [req-1]", "done [req-1]");
    }
  }

  @Test
  void aMessageWithoutAnIdIsLoggedWithoutTheIdOfTheOneBefore(Vertx vertx) {
    try (LogCapture lines = LogCapture.ofEverything(RequestIdsTest.class)) {
      send(vertx, "req-1");
      send(vertx, null);
      send(vertx, "req-2");
      assertThat(lines.messagesWithMdc(RequestIds.MDC_KEY))
          .containsExactly(
              "received, header req-1 [req-1]",
              "done [req-1]",
              "received, header null [null]",
              "done [null]",
              "received, header req-2 [req-2]",
              "done [req-2]");
    }
  }
}
