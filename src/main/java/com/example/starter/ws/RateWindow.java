package com.example.starter.ws;

/** Events counted in fixed windows of time, against a limit per window. Used on one thread. */
final class RateWindow {

  private final int max;
  private final long windowMillis;
  private long windowStart;
  private int counted;

  RateWindow(int max, long windowMillis) {
    this.max = max;
    this.windowMillis = windowMillis;
  }

  /** Counts one event at {@code nowMillis}; false once its window holds more than the limit. */
  boolean allows(long nowMillis) {
    if (nowMillis - windowStart >= windowMillis) {
      windowStart = nowMillis;
      counted = 0;
    }
    return ++counted <= max;
  }
}
