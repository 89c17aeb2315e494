package com.example.starter.config;

import java.util.List;

/**
 * Every configuration key. One name per setting, used alike in {@code conf/config.json}, as an
 * environment variable and as a system property ({@code -DHTTP_PORT=9090}).
 */
public final class ConfigKeys {

  public static final String ROLES = "ROLES";

  public static final String HTTP_HOST = "HTTP_HOST";
  public static final String HTTP_PORT = "HTTP_PORT";
  /** Instances of the http verticle; 0 means one per event-loop thread. */
  public static final String HTTP_INSTANCES = "HTTP_INSTANCES";
  public static final String HTTP_BODY_LIMIT_BYTES = "HTTP_BODY_LIMIT_BYTES";
  /** A connection (on both ports) must send a complete request head within this long of opening or of its last answer, and is closed when silent this long. */
  public static final String HTTP_IDLE_TIMEOUT_SECONDS = "HTTP_IDLE_TIMEOUT_SECONDS";
  /** A request's body must arrive completely within this long of its head (408 otherwise). */
  public static final String HTTP_BODY_TIMEOUT_SECONDS = "HTTP_BODY_TIMEOUT_SECONDS";
  /** A port of its own for /health/* and /metrics, off the public one; -1 = served on HTTP_PORT, 0 = any free port. */
  public static final String MANAGEMENT_PORT = "MANAGEMENT_PORT";
  /** HTTP/2 over cleartext (h2c): off unless asked for. */
  public static final String HTTP2_CLEARTEXT = "HTTP2_CLEARTEXT";
  /** Access log lines, each with its request id: {@code all}, {@code errors} (4xx and 5xx) or {@code off}. */
  public static final String ACCESS_LOG = "ACCESS_LOG";

  public static final String WS_HOST = "WS_HOST";
  public static final String WS_PORT = "WS_PORT";
  public static final String WS_MAX_MESSAGE_BYTES = "WS_MAX_MESSAGE_BYTES";
  /** Where browsers reach the websockets, if not this host on {@code WS_PORT} (behind a proxy, say). */
  public static final String WS_PUBLIC_URL = "WS_PUBLIC_URL";
  /** Origins allowed to open a chat; empty means the http verticle's own: localhost and 127.0.0.1 on {@code HTTP_PORT}. */
  public static final String WS_ALLOWED_ORIGINS = "WS_ALLOWED_ORIGINS";
  /** Chat messages one socket may send per second; beyond, it is closed with 1008. */
  public static final String CHAT_MESSAGES_PER_SECOND = "CHAT_MESSAGES_PER_SECOND";
  /** Chat sockets one session may hold open on one ws node; the next handshake is refused with 429. */
  public static final String WS_SOCKETS_PER_SESSION = "WS_SOCKETS_PER_SESSION";
  /** Bytes queued for one socket before it counts as not reading and is closed. */
  public static final String WS_WRITE_QUEUE_BYTES = "WS_WRITE_QUEUE_BYTES";
  /** Every this often the server pings each chat socket; one that has not answered since the last ping is closed. */
  public static final String WS_PING_SECONDS = "WS_PING_SECONDS";
  public static final String WS_IDLE_TIMEOUT_SECONDS = "WS_IDLE_TIMEOUT_SECONDS";

  /** Threads of the accounts role's hashing pool, each hashing one password at a time; 0 = one per core. */
  public static final String HASHING_THREADS = "HASHING_THREADS";
  /** Argon2id cost: memory in KiB, passes, lanes. OWASP's minimum is 19456, 2, 1. */
  public static final String ARGON2_MEMORY_KIB = "ARGON2_MEMORY_KIB";
  public static final String ARGON2_ITERATIONS = "ARGON2_ITERATIONS";
  public static final String ARGON2_PARALLELISM = "ARGON2_PARALLELISM";
  /** This many failed logins for one login from one client address within the window answer 429. */
  public static final String LOGIN_MAX_FAILURES = "LOGIN_MAX_FAILURES";
  /** This many failed logins from one client address, whatever the logins, within the window answer 429. */
  public static final String LOGIN_MAX_FAILURES_PER_CLIENT = "LOGIN_MAX_FAILURES_PER_CLIENT";
  public static final String LOGIN_FAILURE_WINDOW_SECONDS = "LOGIN_FAILURE_WINDOW_SECONDS";
  /** Each further block doubles, up to this; a counter idle this long is deleted. */
  public static final String LOGIN_MAX_BLOCK_SECONDS = "LOGIN_MAX_BLOCK_SECONDS";

  /** Sessions expire after this long without a request (sliding). */
  public static final String SESSION_TIMEOUT_MINUTES = "SESSION_TIMEOUT_MINUTES";
  /** How often expired sessions are deleted and their end published (so that chat sockets close). */
  public static final String SESSION_SWEEP_SECONDS = "SESSION_SWEEP_SECONDS";
  /**
   * A session that a request reads but does not change is written back (its expiry extended) only
   * once this much of its timeout has been used since it was last written.
   */
  public static final String SESSION_TOUCH_AFTER_SECONDS = "SESSION_TOUCH_AFTER_SECONDS";
  /** Sessions each http and ws verticle keeps in memory, and for how long at most. */
  public static final String SESSION_CACHE_SIZE = "SESSION_CACHE_SIZE";
  public static final String SESSION_CACHE_SECONDS = "SESSION_CACHE_SECONDS";
  public static final String SESSION_COOKIE_SECURE = "SESSION_COOKIE_SECURE";
  /** {@code Strict}, {@code Lax} or {@code None}. */
  public static final String SESSION_COOKIE_SAMESITE = "SESSION_COOKIE_SAMESITE";

  /** The services {@code GET /api/upstreams} calls: a JSON array of {@code {"name","url","timeoutMs"}}. */
  public static final String UPSTREAMS = "UPSTREAMS";
  /** How long one round of upstream answers is reused, so that a flood of requests is not a flood upstream. */
  public static final String UPSTREAMS_CACHE_MS = "UPSTREAMS_CACHE_MS";
  /** Failures in a row that open an upstream's circuit, and how long it stays open before a trial call. */
  public static final String UPSTREAM_MAX_FAILURES = "UPSTREAM_MAX_FAILURES";
  public static final String UPSTREAM_RESET_MS = "UPSTREAM_RESET_MS";

  public static final String MONGO_URL = "MONGO_URL";
  public static final String MONGO_DB = "MONGO_DB";
  public static final String MONGO_TIMEOUT_MS = "MONGO_TIMEOUT_MS";
  public static final String DATA_DIR = "DATA_DIR";
  public static final String EMBEDDED_MONGO_HOST = "EMBEDDED_MONGO_HOST";
  public static final String EMBEDDED_MONGO_PORT = "EMBEDDED_MONGO_PORT";

  public static final String BUS_TIMEOUT_MS = "BUS_TIMEOUT_MS";

  /** The SMTP server mail goes out through; empty: mails are written to the log instead (dev). */
  public static final String MAIL_HOST = "MAIL_HOST";
  public static final String MAIL_PORT = "MAIL_PORT";
  public static final String MAIL_FROM = "MAIL_FROM";
  /** The base of links in mails; empty: http://localhost:HTTP_PORT. */
  public static final String PUBLIC_URL = "PUBLIC_URL";
  /** Whether an account whose email address is not verified yet may log in. */
  public static final String UNVERIFIED_LOGIN = "UNVERIFIED_LOGIN";
  public static final String SHUTDOWN_GRACE_SECONDS = "SHUTDOWN_GRACE_SECONDS";
  public static final String DEBUG = "DEBUG";

  public static final String CLUSTER = "CLUSTER";
  public static final String CLUSTER_HOST = "CLUSTER_HOST";
  public static final String CLUSTER_PUBLIC_HOST = "CLUSTER_PUBLIC_HOST";
  public static final String CLUSTER_PORT = "CLUSTER_PORT";
  public static final String CLUSTER_MEMBERS = "CLUSTER_MEMBERS";
  public static final String CLUSTER_CONFIG = "CLUSTER_CONFIG";

  /** Where the configuration file is; read from the environment or system properties only. */
  public static final String CONFIG_FILE = "CONFIG_FILE";

  /** Set by the application for its verticles, never by a user: the Prometheus registry to scrape. */
  public static final String METRICS_REGISTRY = "METRICS_REGISTRY";

  /** The keys read from the environment and system properties. */
  public static final List<String> OVERRIDABLE = List.of(
    ROLES, HTTP_HOST, HTTP_PORT, HTTP_INSTANCES, HTTP_BODY_LIMIT_BYTES, HTTP_IDLE_TIMEOUT_SECONDS, HTTP_BODY_TIMEOUT_SECONDS,
    HTTP2_CLEARTEXT, MANAGEMENT_PORT, ACCESS_LOG,
    WS_HOST, WS_PORT, WS_MAX_MESSAGE_BYTES, WS_IDLE_TIMEOUT_SECONDS, WS_PUBLIC_URL, WS_ALLOWED_ORIGINS,
    CHAT_MESSAGES_PER_SECOND, WS_SOCKETS_PER_SESSION, WS_WRITE_QUEUE_BYTES, WS_PING_SECONDS,
    HASHING_THREADS, ARGON2_MEMORY_KIB, ARGON2_ITERATIONS, ARGON2_PARALLELISM,
    LOGIN_MAX_FAILURES, LOGIN_MAX_FAILURES_PER_CLIENT, LOGIN_FAILURE_WINDOW_SECONDS, LOGIN_MAX_BLOCK_SECONDS,
    SESSION_TIMEOUT_MINUTES, SESSION_SWEEP_SECONDS, SESSION_TOUCH_AFTER_SECONDS, SESSION_CACHE_SIZE, SESSION_CACHE_SECONDS,
    SESSION_COOKIE_SECURE, SESSION_COOKIE_SAMESITE,
    UPSTREAMS, UPSTREAMS_CACHE_MS, UPSTREAM_MAX_FAILURES, UPSTREAM_RESET_MS,
    MONGO_URL, MONGO_DB, MONGO_TIMEOUT_MS, DATA_DIR, EMBEDDED_MONGO_HOST, EMBEDDED_MONGO_PORT,
    BUS_TIMEOUT_MS, SHUTDOWN_GRACE_SECONDS, DEBUG, MAIL_HOST, MAIL_PORT, MAIL_FROM, PUBLIC_URL, UNVERIFIED_LOGIN,
    CLUSTER, CLUSTER_HOST, CLUSTER_PUBLIC_HOST, CLUSTER_PORT, CLUSTER_MEMBERS, CLUSTER_CONFIG);

  private ConfigKeys() {
  }
}
