package com.example.starter.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** What a process can run. The same jar runs any non-empty set of them. */
public enum Role {
  HTTP,
  WS,
  ACCOUNTS,
  SESSIONS,
  /** The worked example of a capability of your own (README: "Add your own capability"). */
  GREETINGS,
  /** The embedded database alone, served to other processes: split runs without Docker. */
  MONGO;

  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The roles this one calls over the event bus. */
  public Set<Role> needs() {
    return switch (this) {
      case HTTP -> Set.of(ACCOUNTS, SESSIONS);
      case WS -> Set.of(SESSIONS);
      case ACCOUNTS, SESSIONS, GREETINGS, MONGO -> Set.of();
    };
  }

  public boolean usesMongo() {
    return this == ACCOUNTS || this == SESSIONS;
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
