package com.example.starter.config;

import com.example.starter.bus.Addresses;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a process can run. The same jar runs any non-empty set of them. A role's facts are the
 * switches below, each exhaustive: a new role does not compile until every one names it.
 */
public enum Role {
  HTTP,
  WS,
  ACCOUNTS,
  SESSIONS,
  /**
   * The worked example of a capability of your own (docs/make-it-yours.md, "Add your own
   * capability").
   */
  GREETINGS,
  /** The embedded database alone, served to other processes: split runs without Docker. */
  MONGO;

  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The verticle the role deploys, once per process, in the data stage ({@code startup/DataStage}):
   * by the class name Vert.x deploys it by, so that this table sits below the roles' packages
   * ({@code RoleTest} loads each). Empty for the servers and the embedded database, which have
   * stages of their own.
   */
  public Optional<String> verticle() {
    return switch (this) {
      case ACCOUNTS -> Optional.of("com.example.starter.accounts.AccountsVerticle");
      case SESSIONS -> Optional.of("com.example.starter.sessions.SessionsVerticle");
      case GREETINGS -> Optional.of("com.example.starter.greetings.GreetingsVerticle");
      case HTTP, WS, MONGO -> Optional.empty();
    };
  }

  /** The roles this one calls over the event bus. */
  public Set<Role> needs() {
    return switch (this) {
      case HTTP -> Set.of(ACCOUNTS, SESSIONS);
      case WS -> Set.of(SESSIONS);
      case ACCOUNTS, SESSIONS, GREETINGS, MONGO -> Set.of();
    };
  }

  /** Whether it opens a MongoDB client (and so needs MONGO_URL or the embedded database). */
  public boolean usesMongo() {
    return switch (this) {
      case ACCOUNTS, SESSIONS -> true;
      case HTTP, WS, GREETINGS, MONGO -> false;
    };
  }

  /**
   * The bus address that answers while the role can serve, its database included: readiness asks it
   * on every process that runs or calls the role. Empty for a role whose being deployed is enough.
   */
  public Optional<String> healthAddress() {
    return switch (this) {
      case ACCOUNTS -> Optional.of(Addresses.ACCOUNTS_HEALTH);
      case SESSIONS -> Optional.of(Addresses.SESSIONS_HEALTH);
      case HTTP, WS, GREETINGS, MONGO -> Optional.empty();
    };
  }

  /**
   * What it is, in a word or two, for the ROLES setting's description (the settings table,
   * docs/configuration.md).
   */
  String summary() {
    return switch (this) {
      case HTTP -> "the public API and the demo page";
      case WS -> "the websockets";
      case ACCOUNTS -> "registration and login";
      case SESSIONS -> "the web sessions";
      case GREETINGS -> "the worked example of a role of your own";
      case MONGO -> "the embedded database alone, for split runs without Docker";
    };
  }

  /** Every role, with what it is: the ROLES setting's description. */
  static String described() {
    return "comma list of "
        + Arrays.stream(values())
            .map(role -> "`" + role.key() + "` (" + role.summary() + ")")
            .collect(Collectors.joining(", "));
  }

  /** What a production-shaped deployment runs, and dev mode by default: all but the database. */
  public static Set<Role> deployed() {
    return EnumSet.complementOf(EnumSet.of(MONGO));
  }

  /** Roles as {@code ROLES} writes them: {@code http,ws}. */
  public static String keys(Collection<Role> roles) {
    return roles.stream().map(Role::key).collect(Collectors.joining(","));
  }

  public static Role parse(String key) {
    return Arrays.stream(values())
        .filter(role -> role.key().equals(key.trim().toLowerCase(Locale.ROOT)))
        .findFirst()
        .orElseThrow(
            () ->
                new ConfigException(
                    Setting.ROLES.name(), key, "an unknown role; known roles are " + known()));
  }

  static String known() {
    return Arrays.stream(values()).map(Role::key).collect(Collectors.joining(", "));
  }
}
