package com.example.starter.bus;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Failure codes of event-bus replies. They are HTTP statuses, so the http verticle answers a failed
 * request with the code it got, whatever the address.
 */
public final class Failures {

  public static final int BAD_REQUEST = 400;
  public static final int UNAUTHORIZED = 401;
  public static final int FORBIDDEN = 403;
  public static final int NOT_FOUND = 404;
  public static final int CONFLICT = 409;
  public static final int GONE = 410;
  public static final int TOO_MANY_REQUESTS = 429;

  /** A bug in the role that answered: not worth retrying. */
  public static final int INTERNAL_ERROR = 500;

  public static final int UNAVAILABLE = 503;

  /**
   * How a 429 or 503 says when to come back: in its message, the one place a failed reply has for
   * it.
   */
  private static final Pattern RETRY_AFTER = Pattern.compile("try again in (\\d+) s$");

  private Failures() {}

  /** A 429 that says, in whole seconds rounded up, when trying again makes sense. */
  public static BusException tooManyRequests(String what, long retryAfterMillis) {
    return withRetryAfter(TOO_MANY_REQUESTS, what, retryAfterMillis);
  }

  /**
   * A 503 for work refused before it started, because it could not be done in time: nothing was
   * done.
   */
  public static BusException busy(String what, long retryAfterMillis) {
    return withRetryAfter(UNAVAILABLE, what, retryAfterMillis);
  }

  private static BusException withRetryAfter(int code, String what, long retryAfterMillis) {
    return new BusException(
        code, what + "; try again in " + Math.max(1, (retryAfterMillis + 999) / 1000) + " s");
  }

  /**
   * The seconds a 429 or 503 asked the caller to wait, for a {@code Retry-After} header; empty
   * otherwise.
   */
  public static OptionalLong retryAfterSeconds(Throwable failure) {
    int status = status(failure);
    if (status != TOO_MANY_REQUESTS && status != UNAVAILABLE || failure.getMessage() == null) {
      return OptionalLong.empty();
    }
    Matcher matcher = RETRY_AFTER.matcher(failure.getMessage());
    return matcher.find()
        ? OptionalLong.of(Long.parseLong(matcher.group(1)))
        : OptionalLong.empty();
  }

  /**
   * The HTTP status for a failed bus request (no handler or a timeout means the role is
   * unreachable), or for a role's own refusal.
   */
  public static int status(Throwable failure) {
    if (failure instanceof BusException known) {
      return known.code();
    }
    if (failure instanceof ReplyException reply
        && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE
        && reply.failureCode() >= 400
        && reply.failureCode() < 600) {
      return reply.failureCode();
    }
    return UNAVAILABLE;
  }
}
