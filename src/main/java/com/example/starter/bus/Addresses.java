package com.example.starter.bus;

/**
 * Every event-bus address, in one place. Requests and replies are {@code JsonObject}s; a failed
 * request is a {@code ReplyException} whose code is an HTTP status (see {@link Failures}).
 */
public final class Addresses {

  /**
   * Request {@code {}}; reply {@code {"status":"UP"}} once the accounts database answers a ping.
   */
  public static final String ACCOUNTS_HEALTH = "accounts.health";

  /**
   * Request {@code {}}; reply {@code {"status":"UP"}} once the sessions database answers a ping.
   */
  public static final String SESSIONS_HEALTH = "sessions.health";

  /**
   * Request {@code {"login","password"}}; reply {@code {"login"}}; fails 400 (rule broken), 409
   * (login taken).
   */
  public static final String ACCOUNTS_REGISTER = "accounts.register";

  /**
   * Request {@code {"login","password","client"}}, {@code client} the caller's address (it keys the
   * failure counters); reply {@code {"login"}} as registered; fails 400 (malformed), 401, 429 (too
   * many failures; the message ends with {@code "try again in N s"}, see {@link
   * Failures#retryAfterSeconds}).
   */
  public static final String ACCOUNTS_AUTHENTICATE = "accounts.authenticate";

  /**
   * Request {@code {"login", "currentPassword", "password", "session", "client"}}: with the current
   * password, sets a new one (registration's rules) and ends every other session of the account;
   * reply {@code {}}. 403 for a wrong current password.
   */
  public static final String ACCOUNTS_CHANGE_PASSWORD = "accounts.changePassword";

  /**
   * Request {@code {"login", "password", "client"}}: with the password, ends every session of the
   * account and deletes it; the login is free again at once. Reply {@code {}}; 403 for a wrong
   * password.
   */
  public static final String ACCOUNTS_DELETE = "accounts.delete";

  /**
   * Dev mode (no MAIL_HOST) only: request {@code {}}; reply {@code {"mails":
   * [{"to","subject","text","at"}]}}, the last ones.
   */
  public static final String MAIL_KEPT = "mail.kept";

  /**
   * Request {@code {"token"}}: uses up a mailed verification token; reply {@code {"login"}}; 400
   * unknown or used, 410 expired.
   */
  public static final String ACCOUNTS_VERIFY = "accounts.verify";

  /**
   * Request {@code {"login", "client"}}: mails a new verification link, the older ones stop
   * working; reply {@code {}}.
   */
  public static final String ACCOUNTS_RESEND_VERIFICATION = "accounts.resendVerification";

  /**
   * Request {@code {"email", "client"}}: mails a reset link if the address has an account; reply
   * {@code {}} either way.
   */
  public static final String ACCOUNTS_RESET_REQUEST = "accounts.resetRequest";

  /**
   * Request {@code {"token", "password"}}: sets the password, ends every session of the account;
   * reply {@code {}}.
   */
  public static final String ACCOUNTS_RESET_CONFIRM = "accounts.resetConfirm";

  /**
   * Request {@code {"id"}}; reply {@code {"session": <bytes>, "version", "expiresAt": <epoch ms>}},
   * or {@code {}} when there is none or it expired.
   */
  public static final String SESSIONS_GET = "sessions.get";

  /**
   * Request {@code {"id","version","timeout","session": <bytes>}} for a new session, plus {@code
   * "expectedVersion"} to overwrite a stored one; reply {@code {"expiresAt"}}. Fails 409 when the
   * id is taken (new) or the stored version is not {@code expectedVersion} or the session ended. A
   * stored session's new data is published on {@link #SESSION_CHANGED}.
   */
  public static final String SESSIONS_PUT = "sessions.put";

  /**
   * Request {@code {"id","timeout"}}: extends a live session's expiry to now + timeout, never
   * shortens it, never brings back an ended one. Reply {@code {"expiresAt"}}; fails 404 when the
   * session ended.
   */
  public static final String SESSIONS_TOUCH = "sessions.touch";

  /**
   * Request {@code {"id"}}; reply {@code {"deleted"}}. If there was a session, {@link
   * #SESSION_ENDED} is published.
   */
  public static final String SESSIONS_DELETE = "sessions.delete";

  /**
   * Request {@code {"account", "except"?}}: ends every session logged in as that account but the
   * one with id {@code except}; reply {@code {"ended"}}. Their end is published on {@link
   * #SESSION_ENDED}.
   */
  public static final String SESSIONS_END_ACCOUNT = "sessions.endAccount";

  /** Request {@code {}}; reply {@code {}}: every session is gone. */
  public static final String SESSIONS_CLEAR = "sessions.clear";

  /** Request {@code {}}; reply {@code {"size"}}: sessions not expired. */
  public static final String SESSIONS_SIZE = "sessions.size";

  /**
   * Published {@code {"ids": [...]}} when sessions end (logout, expiry), so that every node drops
   * what hangs on them: cached copies, chat sockets.
   */
  public static final String SESSION_ENDED = "sessions.ended";

  /**
   * Published {@code {"id","version"}} when a stored session's data changes: cached copies older
   * than it go.
   */
  public static final String SESSION_CHANGED = "sessions.changed";

  /**
   * Local to each http node. Request {@code {}}; reply {@code {"upstreams": [...]}}, one entry per
   * configured upstream: {@code name}, {@code ok}, {@code state} of its circuit, {@code latencyMs},
   * and {@code status} or {@code error} ({@code timeout}, {@code refused}, {@code circuit_open},
   * {@code bad_status}, {@code failed}).
   */
  public static final String UPSTREAMS_FETCH = "upstreams.fetch";

  /**
   * Request {@code {"name"}}; reply {@code {"greeting"}}; fails 400 for a blank name or one over 64
   * characters.
   */
  public static final String GREETINGS_GREET = "greetings.greet";

  /**
   * Published {@code {"room","from","text","at"}}: a chat message, once, to every ws node with
   * sockets in the room. Each such node has one consumer per room, whatever its number of sockets.
   */
  public static String chatRoom(String room) {
    return "chat.room." + room;
  }

  private Addresses() {}
}
