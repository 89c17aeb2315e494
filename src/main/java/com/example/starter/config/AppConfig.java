package com.example.starter.config;

import static com.example.starter.config.Setting.*;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The merged configuration, checked once at start-up, with one typed accessor per {@link Setting}:
 * the only place that reads settings by name. Values are normalised (a port given as the string
 * "8080" by the environment becomes the number 8080); JVM properties (the sys store brings them
 * all) are left out. A key shaped like a setting but unknown, or anything that cannot work, throws
 * a {@link ConfigException} that names the key and the value. Verticles get it as JSON in their
 * {@code DeploymentOptions}, as Vert.x hands configuration over, and read it through {@link
 * #of(JsonObject)}.
 */
public final class AppConfig {

  /** Not a setting: the application names the verticles' metrics registry. */
  private static final String METRICS_REGISTRY = "METRICS_REGISTRY";

  private static final int DEFAULT_MONGO_ROLE_PORT = 27017;
  private static final Pattern SETTING_SHAPE = Pattern.compile("[A-Z][A-Z0-9_]*");
  private static final Set<String> KNOWN =
      Arrays.stream(Setting.values()).map(Setting::name).collect(Collectors.toSet());

  private final JsonObject json;
  private final Set<Role> roles;

  private AppConfig(JsonObject json, Set<Role> roles) {
    this.json = json;
    this.roles = roles;
  }

  /**
   * A verticle's configuration, as the application checked it with {@link #from} and handed it over
   * in its {@code DeploymentOptions}: read as it is, not checked again.
   */
  public static AppConfig of(JsonObject checked) {
    return new AppConfig(checked, parseRoles(checked.getString(ROLES.name())));
  }

  public static AppConfig from(JsonObject raw) {
    reportUnknownKeys(raw);
    JsonObject json = new JsonObject();
    for (Setting setting : Setting.values()) {
      json.put(setting.name(), setting.read(raw));
    }
    Set<Role> roles = parseRoles(json.getString(ROLES.name()));
    json.put(ROLES.name(), Role.keys(roles));
    int window = json.getInteger(LOGIN_FAILURE_WINDOW_SECONDS.name());
    int timeoutSeconds = json.getInteger(SESSION_TIMEOUT_MINUTES.name()) * 60;
    // A default bounded by another setting follows it (SESSION_TIMEOUT_MINUTES=1 alone works); a
    // value given is checked against it.
    defaultFollows(
        raw, json, LOGIN_MAX_BLOCK_SECONDS, Math.max(window, LOGIN_MAX_BLOCK_SECONDS.defaultInt()));
    defaultFollows(
        raw,
        json,
        SESSION_TOUCH_AFTER_SECONDS,
        Math.min(timeoutSeconds / 2, SESSION_TOUCH_AFTER_SECONDS.defaultInt()));
    defaultFollows(
        raw,
        json,
        SESSION_CACHE_SECONDS,
        Math.min(timeoutSeconds / 2, SESSION_CACHE_SECONDS.defaultInt()));
    atLeast(json, LOGIN_MAX_BLOCK_SECONDS, window, "LOGIN_FAILURE_WINDOW_SECONDS");
    atMost(json, SESSION_TOUCH_AFTER_SECONDS, timeoutSeconds - 1, "below SESSION_TIMEOUT_MINUTES");
    atMost(json, SESSION_CACHE_SECONDS, timeoutSeconds, "SESSION_TIMEOUT_MINUTES");
    String publicUrl = json.getString(PUBLIC_URL.name()).replaceAll("/+$", "");
    json.put(
        PUBLIC_URL.name(),
        publicUrl.isEmpty() ? "http://localhost:" + json.getInteger(HTTP_PORT.name()) : publicUrl);
    if (json.getInteger(EMBEDDED_MONGO_PORT.name()) == 0 && roles.contains(Role.MONGO)) {
      json.put(EMBEDDED_MONGO_PORT.name(), DEFAULT_MONGO_ROLE_PORT);
    }

    AppConfig config = new AppConfig(json, roles);
    config.checkRolesCanWork();
    return config;
  }

  /**
   * A key that looks like a setting but is none (a typo, or a setting since removed) would
   * otherwise be dropped without a word. System properties all come in too: those are their owners'
   * (JVM, logback's {@code LOG_LEVEL}), so only the file and the overrides are judged.
   */
  private static void reportUnknownKeys(JsonObject raw) {
    List<String> unknown =
        raw.fieldNames().stream()
            .filter(
                key ->
                    SETTING_SHAPE.matcher(key).matches()
                        && !KNOWN.contains(key)
                        && !ConfigLoader.CONFIG_FILE.equals(key)
                        && System.getProperty(key) == null)
            .sorted()
            .toList();
    if (!unknown.isEmpty()) {
      throw new ConfigException(
          "unknown setting "
              + String.join(", ", unknown)
              + " (in the config file or the overrides); the settings are listed in docs/configuration.md");
    }
  }

  /** The default of {@code setting}, unless it was given, becomes {@code value}. */
  private static void defaultFollows(JsonObject raw, JsonObject json, Setting setting, int value) {
    if (!raw.containsKey(setting.name())) {
      json.put(setting.name(), value);
    }
  }

  private static void atLeast(JsonObject json, Setting setting, int min, String boundBy) {
    if (json.getInteger(setting.name()) < min) {
      throw new ConfigException(
          setting.name(),
          json.getValue(setting.name()),
          "out of range; expected at least " + min + " (" + boundBy + ")");
    }
  }

  private static void atMost(JsonObject json, Setting setting, int max, String boundBy) {
    if (json.getInteger(setting.name()) > max) {
      throw new ConfigException(
          setting.name(),
          json.getValue(setting.name()),
          "out of range; expected at most " + max + " (" + boundBy + ")");
    }
  }

  private static Set<Role> parseRoles(String value) {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (String key : value.split(",")) {
      if (!key.isBlank()) {
        roles.add(Role.parse(key));
      }
    }
    if (roles.isEmpty()) {
      throw new ConfigException(ROLES.name(), value, "empty; give a comma list of " + Role.known());
    }
    return roles;
  }

  private void checkRolesCanWork() {
    if (roles.contains(Role.MONGO) && !mongoUrl().isEmpty()) {
      throw new ConfigException(
          "ROLES includes mongo (the embedded database) but MONGO_URL='"
              + mongoUrl()
              + "' points at another database: use one or the other");
    }
    if (!cluster()) {
      for (Role role : roles) {
        Set<Role> missing = EnumSet.noneOf(Role.class);
        missing.addAll(role.needs());
        missing.removeAll(roles);
        if (!missing.isEmpty()) {
          throw new ConfigException(
              "ROLES='"
                  + json.getString(ROLES.name())
                  + "': the "
                  + role.key()
                  + " role needs "
                  + missing.stream().map(Role::key).collect(Collectors.joining(" and "))
                  + " on the event bus; add them to ROLES, or set CLUSTER=true to reach them on other nodes");
        }
      }
    }
  }

  /** The configuration as JSON, the form in which {@code DeploymentOptions} carry it. */
  public JsonObject json() {
    return json;
  }

  public Set<Role> roles() {
    return roles;
  }

  public boolean has(Role role) {
    return roles.contains(role);
  }

  /** The embedded database runs in this process: asked for, or needed and no MONGO_URL given. */
  public boolean runsEmbeddedMongo() {
    return has(Role.MONGO) || (mongoUrl().isEmpty() && roles.stream().anyMatch(Role::usesMongo));
  }

  /** The name of the metrics registry the verticles report to, or null for none (some tests). */
  public String metricsRegistry() {
    return json.getString(METRICS_REGISTRY);
  }

  public AppConfig withMetricsRegistry(String name) {
    return with(METRICS_REGISTRY, name);
  }

  /** Pointing the verticles at a database that was started after the configuration was read. */
  public AppConfig withMongoUrl(String url) {
    return with(MONGO_URL.name(), url);
  }

  /**
   * Overrides for an application behind a front that holds this configuration's ports (the dev
   * loop's): its servers on loopback ports of their own, its database this one, browsers still told
   * the front's ports and origins, the demo page's files read from {@code webrootDir}.
   */
  public JsonObject behindFront(String webrootDir) {
    String origins = wsAllowedOrigins();
    if (origins.isEmpty()) {
      // The ws role's default (ws/Chat), for the front's port rather than its own.
      origins = "http://localhost:" + httpPort() + ",http://127.0.0.1:" + httpPort();
    }
    Set<Role> served = EnumSet.copyOf(roles);
    served.remove(Role.MONGO);
    return new JsonObject()
        .put(ROLES.name(), Role.keys(served))
        .put(MONGO_URL.name(), mongoUrl())
        .put(HTTP_HOST.name(), "127.0.0.1")
        .put(HTTP_PORT.name(), 0)
        .put(MANAGEMENT_PORT.name(), -1)
        .put(WS_HOST.name(), "127.0.0.1")
        .put(WS_PORT.name(), 0)
        .put(WS_PUBLIC_PORT.name(), wsPortForBrowsers())
        .put(WS_ALLOWED_ORIGINS.name(), origins)
        .put(WEBROOT_DIR.name(), webrootDir().isEmpty() ? webrootDir : webrootDir());
  }

  /** The port a server setting names: HTTP_PORT, WS_PORT or MANAGEMENT_PORT. */
  public int port(Setting server) {
    return json.getInteger(serverPort(server).name());
  }

  /** The same configuration with a server's port set, to the one it got when it was asked for 0. */
  public AppConfig withPort(Setting server, int port) {
    return with(serverPort(server).name(), port);
  }

  private static Setting serverPort(Setting setting) {
    return switch (setting) {
      case HTTP_PORT, WS_PORT, MANAGEMENT_PORT -> setting;
      default -> throw new IllegalArgumentException(setting + " is not a server's port");
    };
  }

  private AppConfig with(String key, Object value) {
    return new AppConfig(json.copy().put(key, value), roles);
  }

  // One accessor per setting, named after it (a test holds them to the declarations).

  public String httpHost() {
    return json.getString(HTTP_HOST.name());
  }

  public int httpPort() {
    return json.getInteger(HTTP_PORT.name());
  }

  public int httpInstances() {
    return json.getInteger(HTTP_INSTANCES.name());
  }

  public int httpBodyLimitBytes() {
    return json.getInteger(HTTP_BODY_LIMIT_BYTES.name());
  }

  public int httpIdleTimeoutSeconds() {
    return json.getInteger(HTTP_IDLE_TIMEOUT_SECONDS.name());
  }

  public int httpBodyTimeoutSeconds() {
    return json.getInteger(HTTP_BODY_TIMEOUT_SECONDS.name());
  }

  public boolean http2Cleartext() {
    return json.getBoolean(HTTP2_CLEARTEXT.name());
  }

  public int managementPort() {
    return json.getInteger(MANAGEMENT_PORT.name());
  }

  public String accessLog() {
    return json.getString(ACCESS_LOG.name());
  }

  public String wsHost() {
    return json.getString(WS_HOST.name());
  }

  public int wsPort() {
    return json.getInteger(WS_PORT.name());
  }

  public int wsInstances() {
    return json.getInteger(WS_INSTANCES.name());
  }

  public int wsMaxMessageBytes() {
    return json.getInteger(WS_MAX_MESSAGE_BYTES.name());
  }

  public int wsIdleTimeoutSeconds() {
    return json.getInteger(WS_IDLE_TIMEOUT_SECONDS.name());
  }

  public int wsPublicPort() {
    return json.getInteger(WS_PUBLIC_PORT.name());
  }

  /** The port browsers open websockets on: {@code WS_PUBLIC_PORT}, or {@code WS_PORT}. */
  public int wsPortForBrowsers() {
    return wsPublicPort() == 0 ? wsPort() : wsPublicPort();
  }

  public String wsPublicUrl() {
    return json.getString(WS_PUBLIC_URL.name());
  }

  public String wsAllowedOrigins() {
    return json.getString(WS_ALLOWED_ORIGINS.name());
  }

  public int chatMessagesPerSecond() {
    return json.getInteger(CHAT_MESSAGES_PER_SECOND.name());
  }

  public int wsSocketsPerSession() {
    return json.getInteger(WS_SOCKETS_PER_SESSION.name());
  }

  public int wsWriteQueueBytes() {
    return json.getInteger(WS_WRITE_QUEUE_BYTES.name());
  }

  public int wsNotReadingSeconds() {
    return json.getInteger(WS_NOT_READING_SECONDS.name());
  }

  public int hashingThreads() {
    return json.getInteger(HASHING_THREADS.name());
  }

  public int argon2MemoryKib() {
    return json.getInteger(ARGON2_MEMORY_KIB.name());
  }

  public int argon2Iterations() {
    return json.getInteger(ARGON2_ITERATIONS.name());
  }

  public int argon2Parallelism() {
    return json.getInteger(ARGON2_PARALLELISM.name());
  }

  public int loginMaxFailures() {
    return json.getInteger(LOGIN_MAX_FAILURES.name());
  }

  public int loginMaxFailuresPerClient() {
    return json.getInteger(LOGIN_MAX_FAILURES_PER_CLIENT.name());
  }

  public int loginFailureWindowSeconds() {
    return json.getInteger(LOGIN_FAILURE_WINDOW_SECONDS.name());
  }

  public int loginMaxBlockSeconds() {
    return json.getInteger(LOGIN_MAX_BLOCK_SECONDS.name());
  }

  public int sessionTimeoutMinutes() {
    return json.getInteger(SESSION_TIMEOUT_MINUTES.name());
  }

  public int sessionSweepSeconds() {
    return json.getInteger(SESSION_SWEEP_SECONDS.name());
  }

  public int sessionTouchAfterSeconds() {
    return json.getInteger(SESSION_TOUCH_AFTER_SECONDS.name());
  }

  public int sessionCacheSize() {
    return json.getInteger(SESSION_CACHE_SIZE.name());
  }

  public int sessionCacheSeconds() {
    return json.getInteger(SESSION_CACHE_SECONDS.name());
  }

  public boolean sessionCookieSecure() {
    return json.getBoolean(SESSION_COOKIE_SECURE.name());
  }

  public String sessionCookieSamesite() {
    return json.getString(SESSION_COOKIE_SAMESITE.name());
  }

  public JsonArray upstreams() {
    return json.getJsonArray(UPSTREAMS.name());
  }

  public int upstreamsCacheMs() {
    return json.getInteger(UPSTREAMS_CACHE_MS.name());
  }

  public int upstreamMaxFailures() {
    return json.getInteger(UPSTREAM_MAX_FAILURES.name());
  }

  public int upstreamResetMs() {
    return json.getInteger(UPSTREAM_RESET_MS.name());
  }

  public String mongoUrl() {
    return json.getString(MONGO_URL.name());
  }

  public String mongoDb() {
    return json.getString(MONGO_DB.name());
  }

  public int mongoTimeoutMs() {
    return json.getInteger(MONGO_TIMEOUT_MS.name());
  }

  public String webrootDir() {
    return json.getString(WEBROOT_DIR.name());
  }

  public String dataDir() {
    return json.getString(DATA_DIR.name());
  }

  public String embeddedMongoHost() {
    return json.getString(EMBEDDED_MONGO_HOST.name());
  }

  public int embeddedMongoPort() {
    return json.getInteger(EMBEDDED_MONGO_PORT.name());
  }

  public int busTimeoutMs() {
    return json.getInteger(BUS_TIMEOUT_MS.name());
  }

  public String mailHost() {
    return json.getString(MAIL_HOST.name());
  }

  public int mailPort() {
    return json.getInteger(MAIL_PORT.name());
  }

  public String mailFrom() {
    return json.getString(MAIL_FROM.name());
  }

  public String publicUrl() {
    return json.getString(PUBLIC_URL.name());
  }

  public boolean unverifiedLogin() {
    return json.getBoolean(UNVERIFIED_LOGIN.name());
  }

  public int shutdownGraceSeconds() {
    return json.getInteger(SHUTDOWN_GRACE_SECONDS.name());
  }

  public boolean debug() {
    return json.getBoolean(DEBUG.name());
  }

  public boolean cluster() {
    return json.getBoolean(CLUSTER.name());
  }

  public String clusterHost() {
    return json.getString(CLUSTER_HOST.name());
  }

  public String clusterPublicHost() {
    return json.getString(CLUSTER_PUBLIC_HOST.name());
  }

  public int clusterPort() {
    return json.getInteger(CLUSTER_PORT.name());
  }

  public String clusterMembers() {
    return json.getString(CLUSTER_MEMBERS.name());
  }

  public String clusterConfig() {
    return json.getString(CLUSTER_CONFIG.name());
  }
}
