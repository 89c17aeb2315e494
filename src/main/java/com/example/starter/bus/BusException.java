package com.example.starter.bus;

/**
 * A request that failed for a reason the caller should hear: its code is an HTTP status (see {@link
 * Failures}).
 */
public class BusException extends RuntimeException {

  private final int code;

  public BusException(int code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public int code() {
    return code;
  }
}
