package com.example.starter.bus;

/**
 * Every event-bus address, in one place. Requests and replies are {@code JsonObject}s; a failed
 * request is a {@code ReplyException} whose code is an HTTP status (see {@link Failures}).
 */
public final class Addresses {

  /** Request {@code {}}; reply {@code {"status":"UP"}} once the accounts database answers a ping. */
  public static final String ACCOUNTS_HEALTH = "accounts.health";

  /** Request {@code {}}; reply {@code {"status":"UP"}} once the sessions database answers a ping. */
  public static final String SESSIONS_HEALTH = "sessions.health";

  private Addresses() {
  }
}
