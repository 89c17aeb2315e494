package com.example.starter.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static com.example.starter.config.ConfigKeys.*;

/**
 * The merged configuration, checked once at start-up. Values are normalised (a port given as the
 * string "8080" by the environment becomes the number 8080), so verticles read {@link #json()}
 * without checking again; keys it does not know (the sys store brings every JVM property) are left
 * out. Anything that cannot work throws a {@link ConfigException} that names the
 * key and the value.
 */
public final class AppConfig {

  private static final int DEFAULT_MONGO_ROLE_PORT = 27017;
  private static final Pattern UPSTREAM_NAME = Pattern.compile("[a-z0-9-]{1,32}");

  private final JsonObject json;
  private final Set<Role> roles;

  private AppConfig(JsonObject json, Set<Role> roles) {
    this.json = json;
    this.roles = roles;
  }

  public static AppConfig from(JsonObject raw) {
    Reader in = new Reader(raw);
    JsonObject json = new JsonObject();
    Set<Role> roles = parseRoles(in.string(ROLES));
    json.put(ROLES, roles.stream().map(Role::key).collect(Collectors.joining(",")));
    for (String key : Set.of(HTTP_PORT, WS_PORT, CLUSTER_PORT, MAIL_PORT)) {
      json.put(key, in.port(key));
    }
    json.put(MANAGEMENT_PORT, in.integer(MANAGEMENT_PORT, -1, 65535));
    for (String key : Set.of(HTTP_INSTANCES, HASHING_THREADS)) {
      json.put(key, in.integer(key, 0, 1024));
    }
    json.put(ARGON2_MEMORY_KIB, in.integer(ARGON2_MEMORY_KIB, 8, 4 * 1024 * 1024));
    json.put(ARGON2_ITERATIONS, in.integer(ARGON2_ITERATIONS, 1, 100));
    json.put(ARGON2_PARALLELISM, in.integer(ARGON2_PARALLELISM, 1, 64));
    json.put(LOGIN_MAX_FAILURES, in.integer(LOGIN_MAX_FAILURES, 1, 1000));
    json.put(LOGIN_MAX_FAILURES_PER_CLIENT, in.integer(LOGIN_MAX_FAILURES_PER_CLIENT, 1, 100_000));
    json.put(LOGIN_FAILURE_WINDOW_SECONDS, in.integer(LOGIN_FAILURE_WINDOW_SECONDS, 1, 86400));
    json.put(LOGIN_MAX_BLOCK_SECONDS, in.integer(LOGIN_MAX_BLOCK_SECONDS, json.getInteger(LOGIN_FAILURE_WINDOW_SECONDS), 7 * 86400));
    json.put(SESSION_TIMEOUT_MINUTES, in.integer(SESSION_TIMEOUT_MINUTES, 1, 60 * 24 * 365));
    json.put(SESSION_SWEEP_SECONDS, in.integer(SESSION_SWEEP_SECONDS, 1, 86400));
    int timeoutSeconds = json.getInteger(SESSION_TIMEOUT_MINUTES) * 60;
    json.put(SESSION_TOUCH_AFTER_SECONDS, in.integer(SESSION_TOUCH_AFTER_SECONDS, 0, timeoutSeconds - 1));
    json.put(SESSION_CACHE_SIZE, in.integer(SESSION_CACHE_SIZE, 0, 10_000_000));
    json.put(SESSION_CACHE_SECONDS, in.integer(SESSION_CACHE_SECONDS, 0, timeoutSeconds));
    json.put(ACCESS_LOG, in.oneOf(ACCESS_LOG, "all", "errors", "off"));
    json.put(SESSION_COOKIE_SAMESITE, in.oneOf(SESSION_COOKIE_SAMESITE, "Strict", "Lax", "None"));
    for (String key : Set.of(HTTP_BODY_LIMIT_BYTES, WS_MAX_MESSAGE_BYTES)) {
      json.put(key, in.integer(key, 1, 64 * 1024 * 1024));
    }
    for (String key : Set.of(WS_IDLE_TIMEOUT_SECONDS, SHUTDOWN_GRACE_SECONDS)) {
      json.put(key, in.integer(key, 0, 3600));
    }
    for (String key : Set.of(MONGO_TIMEOUT_MS, BUS_TIMEOUT_MS)) {
      json.put(key, in.integer(key, 1, 600_000));
    }
    json.put(HTTP_IDLE_TIMEOUT_SECONDS, in.integer(HTTP_IDLE_TIMEOUT_SECONDS, 1, 3600));
    json.put(HTTP_BODY_TIMEOUT_SECONDS, in.integer(HTTP_BODY_TIMEOUT_SECONDS, 1, 3600));
    for (String key : Set.of(DEBUG, CLUSTER, SESSION_COOKIE_SECURE, HTTP2_CLEARTEXT, UNVERIFIED_LOGIN)) {
      json.put(key, in.bool(key));
    }
    for (String key : Set.of(HTTP_HOST, WS_HOST, MONGO_DB, DATA_DIR, EMBEDDED_MONGO_HOST, CLUSTER_HOST, CLUSTER_MEMBERS, CLUSTER_CONFIG)) {
      json.put(key, in.nonBlank(key));
    }
    json.put(MONGO_URL, in.string(MONGO_URL).trim());
    json.put(MAIL_HOST, in.string(MAIL_HOST).trim());
    json.put(MAIL_FROM, in.nonBlank(MAIL_FROM));
    String publicUrl = in.string(PUBLIC_URL).trim().replaceAll("/+$", "");
    json.put(PUBLIC_URL, publicUrl.isEmpty() ? "http://localhost:" + json.getInteger(HTTP_PORT) : publicUrl);
    json.put(UPSTREAMS, in.upstreams(UPSTREAMS));
    json.put(UPSTREAMS_CACHE_MS, in.integer(UPSTREAMS_CACHE_MS, 0, 3_600_000));
    json.put(UPSTREAM_MAX_FAILURES, in.integer(UPSTREAM_MAX_FAILURES, 1, 1000));
    json.put(UPSTREAM_RESET_MS, in.integer(UPSTREAM_RESET_MS, 1, 3_600_000));
    json.put(WS_PUBLIC_URL, in.string(WS_PUBLIC_URL).trim());
    json.put(WS_ALLOWED_ORIGINS, in.string(WS_ALLOWED_ORIGINS).trim());
    json.put(CHAT_MESSAGES_PER_SECOND, in.integer(CHAT_MESSAGES_PER_SECOND, 1, 10_000));
    json.put(WS_SOCKETS_PER_SESSION, in.integer(WS_SOCKETS_PER_SESSION, 1, 1000));
    json.put(WS_WRITE_QUEUE_BYTES, in.integer(WS_WRITE_QUEUE_BYTES, 1024, 64 * 1024 * 1024));
    json.put(WS_PING_SECONDS, in.integer(WS_PING_SECONDS, 1, 3600));
    json.put(CLUSTER_PUBLIC_HOST, in.string(CLUSTER_PUBLIC_HOST).trim());

    int embeddedPort = in.integer(EMBEDDED_MONGO_PORT, 0, 65535);
    json.put(EMBEDDED_MONGO_PORT, embeddedPort == 0 && roles.contains(Role.MONGO) ? DEFAULT_MONGO_ROLE_PORT : embeddedPort);

    AppConfig config = new AppConfig(json, roles);
    config.checkRolesCanWork();
    return config;
  }

  private static Set<Role> parseRoles(String value) {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (String key : value.split(",")) {
      if (!key.isBlank()) {
        roles.add(Role.parse(key));
      }
    }
    if (roles.isEmpty()) {
      throw new ConfigException(ROLES, value, "empty; give a comma list of http, ws, accounts, sessions, mongo");
    }
    return roles;
  }

  private void checkRolesCanWork() {
    if (roles.contains(Role.MONGO) && !mongoUrl().isEmpty()) {
      throw new ConfigException("ROLES includes mongo (the embedded database) but MONGO_URL='" + mongoUrl()
        + "' points at another database: use one or the other");
    }
    if (!clustered()) {
      for (Role role : roles) {
        Set<Role> missing = EnumSet.noneOf(Role.class);
        missing.addAll(role.needs());
        missing.removeAll(roles);
        if (!missing.isEmpty()) {
          throw new ConfigException("ROLES='" + json.getString(ROLES) + "': the " + role.key() + " role needs "
            + missing.stream().map(Role::key).collect(Collectors.joining(" and "))
            + " on the event bus; add them to ROLES, or set CLUSTER=true to reach them on other nodes");
        }
      }
    }
  }

  public JsonObject json() {
    return json;
  }

  public boolean has(Role role) {
    return roles.contains(role);
  }

  public boolean clustered() {
    return json.getBoolean(CLUSTER);
  }

  public boolean debug() {
    return json.getBoolean(DEBUG);
  }

  public String mongoUrl() {
    return json.getString(MONGO_URL);
  }

  /** The embedded database runs in this process: asked for, or needed and no MONGO_URL given. */
  public boolean runsEmbeddedMongo() {
    return has(Role.MONGO) || (mongoUrl().isEmpty() && roles.stream().anyMatch(Role::usesMongo));
  }

  public int shutdownGraceSeconds() {
    return json.getInteger(SHUTDOWN_GRACE_SECONDS);
  }

  public int httpPort() {
    return json.getInteger(HTTP_PORT);
  }

  /** Typed reads of raw values, which may be strings when they come from the environment. */
  private record Reader(JsonObject raw) {

    Object value(String key) {
      Object value = raw.getValue(key);
      if (value == null) {
        throw new ConfigException(key + " is missing; it belongs in conf/config.json");
      }
      return value;
    }

    String string(String key) {
      Object value = value(key);
      if (value instanceof String || value instanceof Number || value instanceof Boolean) {
        return value.toString();
      }
      throw new ConfigException(key, value, "not a string");
    }

    String nonBlank(String key) {
      String value = string(key).trim();
      if (value.isEmpty()) {
        throw new ConfigException(key, value, "empty");
      }
      return value;
    }

    int integer(String key, int min, int max) {
      Object value = value(key);
      long number;
      try {
        number = value instanceof Number n && n.doubleValue() == n.longValue() ? n.longValue() : Long.parseLong(string(key).trim());
      } catch (NumberFormatException e) {
        throw new ConfigException(key, value, "not a whole number");
      }
      if (number < min || number > max) {
        throw new ConfigException(key, value, "out of range; expected " + min + " to " + max);
      }
      return (int) number;
    }

    int port(String key) {
      return integer(key, 0, 65535);
    }

    String oneOf(String key, String... allowed) {
      String value = string(key).trim();
      for (String candidate : allowed) {
        if (candidate.equalsIgnoreCase(value)) {
          return candidate;
        }
      }
      throw new ConfigException(key, value, "none of " + String.join(", ", allowed));
    }

    /** A JSON array in the file, or its text in the environment; each entry checked. */
    JsonArray upstreams(String key) {
      Object value = value(key);
      JsonArray list;
      try {
        list = value instanceof JsonArray array ? array : new JsonArray(string(key));
      } catch (DecodeException e) {
        throw new ConfigException(key, value, "not a JSON array of {\"name\",\"url\",\"timeoutMs\"}");
      }
      Set<String> names = new HashSet<>();
      for (Object entry : list) {
        if (!(entry instanceof JsonObject upstream)
          || !(upstream.getValue("name") instanceof String name) || !UPSTREAM_NAME.matcher(name).matches()
          || !(upstream.getValue("url") instanceof String url) || !(url.startsWith("http://") || url.startsWith("https://"))
          || !(upstream.getValue("timeoutMs") instanceof Number timeout) || timeout.intValue() < 1 || timeout.intValue() > 60_000) {
          throw new ConfigException(key, entry, "not an upstream: name of 1 to 32 of a-z, 0-9, '-'; an http(s) url; timeoutMs 1 to 60000");
        }
        if (!names.add(name)) {
          throw new ConfigException(key, name, "a name used twice");
        }
      }
      return list;
    }

    boolean bool(String key) {
      Object value = value(key);
      if (value instanceof Boolean b) {
        return b;
      }
      return switch (string(key).trim().toLowerCase()) {
        case "true" -> true;
        case "false" -> false;
        default -> throw new ConfigException(key, value, "not true or false");
      };
    }
  }
}
