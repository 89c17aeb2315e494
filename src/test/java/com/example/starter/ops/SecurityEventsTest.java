package com.example.starter.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.starter.LogCapture;
import com.example.starter.TestConfig;
import com.example.starter.bus.BusException;
import com.example.starter.bus.Deadline;
import com.example.starter.bus.Failures;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.backends.BackendRegistries;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each security event is one log line and one count, by event and outcome. */
class SecurityEventsTest {

  private final String registryName = TestConfig.registryName();
  private final Vertx vertx = TestConfig.vertxWithMetrics(registryName);
  private final SecurityEvents events = new SecurityEvents(registryName);

  @AfterEach
  void close() {
    vertx.close().await();
  }

  private double count(String event, String outcome) {
    MeterRegistry registry = BackendRegistries.getNow(registryName);
    var counter =
        registry
            .find("starter.security.events")
            .tag("event", event)
            .tag("outcome", outcome)
            .counter();
    return counter == null ? 0 : counter.count();
  }

  private static Future<JsonObject> run(
      BiFunction<JsonObject, Deadline, Future<JsonObject>> audited, JsonObject request) {
    return audited.apply(request, new Deadline(Long.MAX_VALUE)).otherwiseEmpty();
  }

  @Test
  void refusalsAreCountedByStatusAndSuccessesAsDone() {
    BiFunction<JsonObject, Deadline, Future<JsonObject>> login =
        events.audited(
            "login",
            (request, deadline) ->
                request.getString("password").equals("right")
                    ? Future.succeededFuture(new JsonObject())
                    : Future.failedFuture(
                        new BusException(Failures.UNAUTHORIZED, "login or password is wrong")));
    JsonObject wrong = new JsonObject().put("login", "alice").put("password", "wrong");

    run(login, wrong).await();
    run(login, wrong).await();
    run(login, wrong.copy().put("password", "right")).await();

    assertThat(count("login", "401")).isEqualTo(2);
    assertThat(count("login", "done")).isEqualTo(1);
  }

  @Test
  void anEventWithoutARequestIsLoggedWithItsLoginAndCounted() {
    try (LogCapture log = LogCapture.ofEverything(SecurityEvents.class)) {
      events.done("logout", "alice");
      events.done("logout", "bob\nlogout: done, login mallory");

      assertThat(log.messages())
          .containsExactly(
              "logout: done, login alice, client -", "logout: done, login -, client -");
    }
    assertThat(count("logout", "done")).isEqualTo(2);
  }

  @Test
  void withoutMetricsEventsAreStillLogged() {
    SecurityEvents unmetered = new SecurityEvents(null);
    try (LogCapture log = LogCapture.ofEverything(SecurityEvents.class)) {
      unmetered.done("logout", "alice");
      assertThat(log.messages()).containsExactly("logout: done, login alice, client -");
    }
  }
}
