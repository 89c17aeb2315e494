package com.example.starter.ops;

import com.example.starter.bus.Deadline;
import com.example.starter.bus.Failures;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.backends.BackendRegistries;
import java.util.function.BiFunction;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Security events, logged at INFO by the role that decides them, with the request id (MDC) of the
 * request that caused them: what was asked, how it ended, for which login and from which client.
 * Never a password, token, email address or session id. Each is also counted in {@code
 * starter_security_events_total{event, outcome}}, the outcome being {@code done} or the refusal's
 * status, so that failed logins and throttling can be graphed and alerted on.
 */
public final class SecurityEvents {

  private static final Logger LOG = LoggerFactory.getLogger(SecurityEvents.class);

  /** What a caller sends is logged only when it cannot forge or break a log line. */
  private static final Pattern LOGGABLE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  private static final String DONE = "done";

  /** Null when this Vert.x instance has no metrics. */
  private final MeterRegistry registry;

  /** Counting into the metrics registry of that name; none if it is null. */
  public SecurityEvents(String registryName) {
    registry = registryName == null ? null : BackendRegistries.getNow(registryName);
  }

  /** The action, its outcome logged and counted as {@code event}. */
  public BiFunction<JsonObject, Deadline, Future<JsonObject>> audited(
      String event, BiFunction<JsonObject, Deadline, Future<JsonObject>> action) {
    return (request, deadline) -> {
      Future<JsonObject> outcome;
      try {
        outcome = action.apply(request, deadline);
      } catch (RuntimeException refused) {
        outcome = Future.failedFuture(refused);
      }
      return outcome.andThen(
          ended -> {
            String login = loggable(request.getValue("login"));
            String client = loggable(request.getValue("client"));
            if (ended.succeeded()) {
              done(event, login, client);
            } else {
              int status = Failures.status(ended.cause());
              count(event, String.valueOf(status));
              LOG.info(
                  "{}: refused {} ({}), login {}, client {}",
                  event,
                  status,
                  ended.cause().getMessage(),
                  login,
                  client);
            }
          });
    };
  }

  /** An event decided without a caller's request to audit, such as a session ending. */
  public void done(String event, Object login) {
    done(event, loggable(login), "-");
  }

  private void done(String event, String login, String client) {
    count(event, DONE);
    LOG.info("{}: done, login {}, client {}", event, login, client);
  }

  private void count(String event, String outcome) {
    if (registry != null) {
      Counter.builder("starter.security.events")
          .description("Security events decided by this process, by event and outcome")
          .tag("event", event)
          .tag("outcome", outcome)
          .register(registry)
          .increment();
    }
  }

  private static String loggable(Object value) {
    return value instanceof String text && LOGGABLE.matcher(text).matches() ? text : "-";
  }
}
