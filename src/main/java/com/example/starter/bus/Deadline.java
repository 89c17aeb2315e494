package com.example.starter.bus;

import io.vertx.core.eventbus.Message;

/**
 * When the caller of a bus request stops waiting for it, as the role that received it sees it. The
 * caller sends how long it waits ({@link #HEADER}, in milliseconds) rather than a time of day, so
 * that the nodes' clocks need not agree; the role keeps a margin for the way back and for a write
 * already under way, so that a caller who hears 503 can trust that nothing was done.
 */
public record Deadline(long at) {

  /**
   * How long the caller waits for the answer, from the time it sent the request, in milliseconds.
   */
  public static final String HEADER = "deadline-in-ms";

  private static final Deadline NONE = new Deadline(Long.MAX_VALUE);

  /** The deadline of a received request: none if its caller did not say. */
  static Deadline of(Message<?> message) {
    String waits = message.headers().get(HEADER);
    if (waits == null) {
      return NONE;
    }
    try {
      long millis = Long.parseLong(waits);
      return new Deadline(System.currentTimeMillis() + millis - Math.max(50, millis / 10));
    } catch (NumberFormatException e) {
      return NONE;
    }
  }

  public long remainingMillis() {
    return at - System.currentTimeMillis();
  }

  /** Fails with 503 when the caller has stopped waiting: before starting work, or a write. */
  public void check() {
    if (remainingMillis() <= 0) {
      throw new BusException(Failures.UNAVAILABLE, "the caller has stopped waiting");
    }
  }
}
