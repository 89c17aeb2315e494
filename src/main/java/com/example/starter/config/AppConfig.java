package com.example.starter.config;

import static com.example.starter.config.Setting.*;

import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The merged configuration, checked once at start-up. Values are normalised (a port given as the
 * string "8080" by the environment becomes the number 8080), so verticles read {@link #json()}
 * without checking again; JVM properties (the sys store brings them all) are left out. A key shaped
 * like a setting but unknown, or anything that cannot work, throws a {@link ConfigException} that
 * names the key and the value.
 */
public final class AppConfig {

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

  public static AppConfig from(JsonObject raw) {
    reportUnknownKeys(raw);
    JsonObject json = new JsonObject();
    for (Setting setting : Setting.values()) {
      json.put(setting.name(), setting.read(raw));
    }
    Set<Role> roles = parseRoles(json.getString(ROLES.name()));
    json.put(ROLES.name(), roles.stream().map(Role::key).collect(Collectors.joining(",")));
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
              + " (in the config file or the overrides); the settings are listed in the README");
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
    if (!clustered()) {
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

  public JsonObject json() {
    return json;
  }

  public boolean has(Role role) {
    return roles.contains(role);
  }

  public boolean clustered() {
    return json.getBoolean(CLUSTER.name());
  }

  public boolean debug() {
    return json.getBoolean(DEBUG.name());
  }

  public String mongoUrl() {
    return json.getString(MONGO_URL.name());
  }

  /** The embedded database runs in this process: asked for, or needed and no MONGO_URL given. */
  public boolean runsEmbeddedMongo() {
    return has(Role.MONGO) || (mongoUrl().isEmpty() && roles.stream().anyMatch(Role::usesMongo));
  }

  public int shutdownGraceSeconds() {
    return json.getInteger(SHUTDOWN_GRACE_SECONDS.name());
  }

  public int httpPort() {
    return json.getInteger(HTTP_PORT.name());
  }
}
