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

  /** Request {@code {"login","password"}}; reply {@code {"login"}}; fails 400 (rule broken), 409 (login taken). */
  public static final String ACCOUNTS_REGISTER = "accounts.register";

  /** Request {@code {"login","password"}}; reply {@code {"login"}} as registered; fails 401, 429 (too many failures). */
  public static final String ACCOUNTS_AUTHENTICATE = "accounts.authenticate";

  /** Request {@code {"id"}}; reply {@code {"session": <bytes>}} or {@code {}} when there is none or it expired. */
  public static final String SESSIONS_GET = "sessions.get";

  /**
   * Request {@code {"id","expectedVersion","timeout","session": <bytes>}}; reply {@code {}}; fails 409 when
   * the stored version is not {@code expectedVersion} (someone else wrote it meanwhile).
   */
  public static final String SESSIONS_PUT = "sessions.put";

  /** Request {@code {"id"}}; reply {@code {"deleted"}}. If there was a session, {@link #SESSION_ENDED} is published. */
  public static final String SESSIONS_DELETE = "sessions.delete";

  /** Request {@code {}}; reply {@code {}}: every session is gone. */
  public static final String SESSIONS_CLEAR = "sessions.clear";

  /** Request {@code {}}; reply {@code {"size"}}: sessions not expired. */
  public static final String SESSIONS_SIZE = "sessions.size";

  /** Published {@code {"id"}} when a session is deleted, so that every node can drop what hangs on it. */
  public static final String SESSION_ENDED = "sessions.ended";

  /**
   * Local to each http node. Request {@code {}}; reply {@code {"upstreams": [...]}}, one entry per
   * configured upstream: {@code name}, {@code ok}, {@code state} of its circuit, {@code latencyMs},
   * and {@code status} or {@code error} ({@code timeout}, {@code refused}, {@code circuit_open},
   * {@code bad_status}, {@code failed}).
   */
  public static final String UPSTREAMS_FETCH = "upstreams.fetch";

  /**
   * Published {@code {"room","from","text","at"}}: a chat message, once, to every ws node with
   * sockets in the room. Each such node has one consumer per room, whatever its number of sockets.
   */
  public static String chatRoom(String room) {
    return "chat.room." + room;
  }

  private Addresses() {
  }
}
