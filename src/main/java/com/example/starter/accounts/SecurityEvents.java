package com.example.starter.accounts;

import com.example.starter.bus.Deadline;
import com.example.starter.bus.Failures;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.function.BiFunction;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Security events, logged at INFO by the role that decides them, with the request id (MDC) of the
 * request that caused them: what was asked, how it ended, for which login and from which client.
 * Never a password, token, email address or session id.
 */
final class SecurityEvents {

  private static final Logger LOG = LoggerFactory.getLogger(SecurityEvents.class);

  /** What a caller sends is logged only when it cannot forge or break a log line. */
  private static final Pattern LOGGABLE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  private SecurityEvents() {}

  /** The action, its outcome logged as {@code event}. */
  static BiFunction<JsonObject, Deadline, Future<JsonObject>> audited(
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
              LOG.info("{}: done, login {}, client {}", event, login, client);
            } else {
              LOG.info(
                  "{}: refused {} ({}), login {}, client {}",
                  event,
                  Failures.status(ended.cause()),
                  ended.cause().getMessage(),
                  login,
                  client);
            }
          });
    };
  }

  private static String loggable(Object value) {
    return value instanceof String text && LOGGABLE.matcher(text).matches() ? text : "-";
  }
}
