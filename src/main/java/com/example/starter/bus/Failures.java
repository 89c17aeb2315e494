package com.example.starter.bus;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * Failure codes of event-bus replies. They are HTTP statuses, so the http verticle answers a failed
 * request with the code it got, whatever the address.
 */
public final class Failures {

  public static final int BAD_REQUEST = 400;
  public static final int UNAUTHORIZED = 401;
  public static final int NOT_FOUND = 404;
  public static final int CONFLICT = 409;
  public static final int TOO_MANY_REQUESTS = 429;
  public static final int UNAVAILABLE = 503;

  private Failures() {
  }

  /** The HTTP status for a failed bus request: no handler or a timeout means the role is unreachable. */
  public static int status(Throwable failure) {
    if (failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE
      && reply.failureCode() >= 400 && reply.failureCode() < 600) {
      return reply.failureCode();
    }
    return UNAVAILABLE;
  }
}
