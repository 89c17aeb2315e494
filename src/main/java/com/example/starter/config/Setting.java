package com.example.starter.config;

import static com.example.starter.config.SettingType.bool;
import static com.example.starter.config.SettingType.integer;
import static com.example.starter.config.SettingType.nonBlank;
import static com.example.starter.config.SettingType.oneOf;
import static com.example.starter.config.SettingType.port;
import static com.example.starter.config.SettingType.text;
import static com.example.starter.config.SettingType.upstreams;

import io.vertx.core.json.JsonObject;

/**
 * Every setting, declared once: its name (used alike in {@code conf/config.json}, as an environment
 * variable and as a system property, {@code -DHTTP_PORT=9090}), the values it takes, its default
 * and what it means. Loading and checking ({@link AppConfig}), the keys read from the environment
 * ({@link ConfigLoader}) and the settings table of docs/configuration.md (checked by a test) all
 * come from here: adding a setting is adding a constant.
 */
public enum Setting {
  ROLES(nonBlank(), Role.keys(Role.deployed()), Role.described()),
  HTTP_HOST(nonBlank(), "0.0.0.0", "HTTP listening address"),
  HTTP_PORT(
      port(),
      8080,
      "HTTP port (also health and metrics on processes without `http`); `0` = any free port, named in the `Ready:` line"),
  HTTP_INSTANCES(
      integer(0, 1024), 0, "http verticle instances; `0` = one per event loop (2 × cores)"),
  HTTP_BODY_LIMIT_BYTES(
      integer(1, 64 * 1024 * 1024), 65536, "largest accepted request body (413 beyond)"),
  HTTP_IDLE_TIMEOUT_SECONDS(
      integer(1, 3600),
      30,
      "on both ports: a connection must send a complete request head within this long of opening or of its last answer (else closed); on the http port, connections from which nothing arrives this long close (a websocket's liveness is `WS_IDLE_TIMEOUT_SECONDS`)"),
  HTTP_BODY_TIMEOUT_SECONDS(
      integer(1, 3600),
      10,
      "a request's body must arrive within this long of its head (408 and closed otherwise)"),
  HTTP2_CLEARTEXT(bool(), false, "accept HTTP/2 over cleartext (h2c)"),
  MANAGEMENT_PORT(
      integer(-1, 65535),
      -1,
      "serve `/health/*` and `/metrics` on this port only, off the public one; `-1` = on `HTTP_PORT`, `0` = any free port"),
  ACCESS_LOG(
      oneOf("all", "errors", "off"),
      "errors",
      "access log lines with their request id: every request, 4xx and 5xx only, or none"),
  WS_HOST(nonBlank(), "0.0.0.0", "websocket listening address"),
  WS_PORT(
      port(),
      8081,
      "websocket port; `0` as for `HTTP_PORT`. The ws verticle runs once per process: one bus consumer per chat room per node"),
  WS_INSTANCES(
      integer(0, 1024),
      0,
      "ws verticle instances, each with its own rooms; `0` = one per event loop (2 × cores)"),
  WS_MAX_MESSAGE_BYTES(
      integer(1, 64 * 1024 * 1024), 65536, "largest websocket message (close 1009 beyond)"),
  WS_IDLE_TIMEOUT_SECONDS(
      integer(0, 3600),
      300,
      "a websocket quiet for a quarter of this long is pinged, and one that has answered nothing a quarter later is closed with 1001 (by three quarters of it); `0` = never"),
  WS_PUBLIC_PORT(
      port(),
      0,
      "the port browsers open websockets on, when a proxy in front of `WS_PORT` listens on another (the dev loop's front does); `0` = `WS_PORT`"),
  WS_PUBLIC_URL(
      text(),
      "",
      "where browsers reach the websockets, if not this host on `WS_PORT` (behind a proxy)"),
  WS_ALLOWED_ORIGINS(
      text(),
      "",
      "origins allowed to open a chat, comma list; empty = `http://localhost:HTTP_PORT`, `http://127.0.0.1:HTTP_PORT`"),
  CHAT_MESSAGES_PER_SECOND(
      integer(1, 10_000), 10, "per chat socket; beyond, the socket is closed with 1008"),
  WS_SOCKETS_PER_SESSION(
      integer(1, 1000),
      5,
      "chat sockets one session may hold on one ws node; the next handshake is refused with 429"),
  WS_WRITE_QUEUE_BYTES(
      integer(1024, 64 * 1024 * 1024),
      262144,
      "bytes queued for a chat socket before its client counts as not reading and is closed (1008)"),
  WS_NOT_READING_SECONDS(
      integer(1, 3600),
      10,
      "a websocket whose write queue stays full this long is closed (1008 \"not reading\"); meanwhile nothing more is read from it"),
  HASHING_THREADS(
      integer(0, 1024),
      0,
      "the accounts role's hashing pool: threads, each hashing one password at a time; `0` = one per core"),
  ARGON2_MEMORY_KIB(
      integer(8, 4 * 1024 * 1024),
      19456,
      "Argon2id memory cost of new hashes, KiB (OWASP's minimum; old hashes keep their own)"),
  ARGON2_ITERATIONS(integer(1, 100), 2, "Argon2id passes of new hashes"),
  ARGON2_PARALLELISM(integer(1, 64), 1, "Argon2id lanes of new hashes"),
  LOGIN_MAX_FAILURES(
      integer(1, 1000),
      5,
      "this many failed logins for one login from one client address within the window block that pair (429)"),
  LOGIN_MAX_FAILURES_PER_CLIENT(
      integer(1, 100_000),
      20,
      "this many failed logins from one client address, whatever the logins, within the window block the address"),
  LOGIN_FAILURE_WINDOW_SECONDS(integer(1, 86400), 60, "the window of the two limits above"),
  LOGIN_MAX_BLOCK_SECONDS(
      integer(1, 7 * 86400),
      3600,
      "each further block of a key lasts twice the one before, up to this (at least the window; the default follows a longer window); a counter idle this long is deleted"),
  SESSION_TIMEOUT_MINUTES(
      integer(1, 60 * 24 * 365), 30, "a session expires after this long without a request"),
  SESSION_SWEEP_SECONDS(
      integer(1, 86400),
      60,
      "how often expired sessions are deleted and their end published (their chat sockets close)"),
  SESSION_TOUCH_AFTER_SECONDS(
      integer(0, 60 * 60 * 24 * 365),
      60,
      "a request that does not change its session writes it back (extends its expiry) only once this long has passed since it was last written; below the timeout (the default is at most half of it)"),
  SESSION_CACHE_SIZE(
      integer(0, 10_000_000),
      10000,
      "sessions each http and ws verticle keeps in memory; `0` = no cache"),
  SESSION_CACHE_SECONDS(
      integer(0, 60 * 60 * 24 * 365),
      30,
      "how long at most a cached session is used; at most the timeout (the default is at most half of it)"),
  SESSION_COOKIE_SECURE(
      bool(), false, "`Secure` flag on the session cookie: `true` behind HTTPS in production"),
  SESSION_COOKIE_SAMESITE(
      oneOf("Strict", "Lax", "None"), "Lax", "`SameSite` attribute of the session cookie"),
  UPSTREAMS(
      upstreams(),
      """
    [{"name": "hello", "url": "http://127.0.0.1:{HTTP_PORT}/hello", "timeoutMs": 1000},
     {"name": "ready", "url": "http://127.0.0.1:{HTTP_PORT}/health/ready", "timeoutMs": 2000}]""",
      "services `GET /api/upstreams` calls; `{HTTP_PORT}` in a url is this process's port"),
  UPSTREAMS_CACHE_MS(
      integer(0, 3_600_000), 2000, "how long one round of upstream answers is reused"),
  UPSTREAM_MAX_FAILURES(integer(1, 1000), 3, "failures in a row that open an upstream's circuit"),
  UPSTREAM_RESET_MS(
      integer(1, 3_600_000), 10000, "how long an open circuit waits before a trial call"),
  MONGO_URL(text(), "", "MongoDB connection string; empty = embedded database"),
  MONGO_DB(nonBlank(), "starter", "database name"),
  MONGO_TIMEOUT_MS(
      integer(1, 600_000),
      2000,
      "connect, server selection and socket timeout: an unreachable database fails this fast (keep it below `BUS_TIMEOUT_MS`)"),
  WEBROOT_DIR(
      text(),
      "",
      "a directory to serve the demo page's files from, read afresh on every request; empty = the `webroot/` packed in the jar (the dev loop sets `src/main/resources/webroot`)"),
  DATA_DIR(nonBlank(), "data", "where the embedded database keeps its file"),
  EMBEDDED_MONGO_HOST(nonBlank(), "127.0.0.1", "where the embedded database listens"),
  EMBEDDED_MONGO_PORT(
      port(),
      0,
      "the embedded database's port; `0` = any free port (`27017` for the `mongo` role)"),
  BUS_TIMEOUT_MS(
      integer(1, 600_000),
      3000,
      "how long a request on the event bus waits for its answer; the role it asks hears it, and does not start (or write) what it cannot finish in time"),
  MAIL_HOST(
      text(),
      "",
      "the SMTP server the accounts role sends mail through; empty = each mail is written to the log instead (dev mode)"),
  MAIL_PORT(port(), 25, "the SMTP server's port"),
  MAIL_FROM(nonBlank(), "starter@localhost", "the sender of those mails"),
  PUBLIC_URL(
      text(),
      "",
      "the base of links in mails (`PUBLIC_URL/verify?token=…`); empty = `http://localhost:HTTP_PORT`"),
  UNVERIFIED_LOGIN(
      bool(),
      true,
      "whether an account whose email address is not verified yet may log in (`false`: 403 until it is; accounts without an address always may)"),
  SHUTDOWN_GRACE_SECONDS(
      integer(0, 3600), 5, "on SIGTERM, how long requests in flight get to finish"),
  DEBUG(bool(), false, "debug mode (`docs/operations.md`)"),
  CLUSTER(bool(), false, "`true` for a Hazelcast-clustered event bus"),
  CLUSTER_HOST(
      nonBlank(),
      "127.0.0.1",
      "address the event bus and Hazelcast bind to (a host name is resolved; `auto` = the address this machine's host name resolves to, a container's own)"),
  CLUSTER_PUBLIC_HOST(text(), "", "address other nodes reach this one on; empty = `CLUSTER_HOST`"),
  CLUSTER_PORT(port(), 5701, "Hazelcast member port"),
  CLUSTER_MEMBERS(
      nonBlank(),
      "127.0.0.1:5701",
      "Hazelcast TCP-IP members, `host:port,host:port` (listed one by one); with `conf/cluster-kubernetes.xml`, the DNS name of the headless Service whose pods are the members"),
  CLUSTER_CONFIG(
      nonBlank(),
      "conf/cluster.xml",
      "Hazelcast XML: a file, else the copy inside the jar; `conf/cluster-kubernetes.xml` finds the members through Kubernetes DNS");

  private final SettingType type;
  private final Object defaultValue;
  private final String meaning;

  Setting(SettingType type, Object defaultValue, String meaning) {
    this.type = type;
    this.defaultValue = defaultValue;
    this.meaning = meaning;
  }

  public SettingType type() {
    return type;
  }

  public Object defaultValue() {
    return defaultValue;
  }

  public String meaning() {
    return meaning;
  }

  /** The declared default of a whole-number setting. */
  int defaultInt() {
    return (Integer) defaultValue;
  }

  /** The checked value of this setting in a raw configuration, or its default when absent. */
  Object read(JsonObject raw) {
    Object value = raw.getValue(name());
    return type.parse(name(), value == null ? defaultValue : value);
  }
}
