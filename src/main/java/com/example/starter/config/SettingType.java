package com.example.starter.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What values a {@link Setting} takes. Raw values may be strings when they come from the
 * environment or a system property; {@link #parse} turns them into the JSON value verticles read,
 * or throws a {@link ConfigException} that names the key, the value and what was expected.
 */
public sealed interface SettingType {

  /** The value to store for this raw one. */
  Object parse(String key, Object raw);

  /** The values it takes, for the settings table (docs/configuration.md). */
  String describe();

  static SettingType text() {
    return new Text(false);
  }

  static SettingType nonBlank() {
    return new Text(true);
  }

  static SettingType integer(int min, int max) {
    return new Whole(min, max);
  }

  static SettingType port() {
    return new Whole(0, 65535);
  }

  static SettingType bool() {
    return new Bool();
  }

  static SettingType oneOf(String... choices) {
    return new OneOf(List.of(choices));
  }

  static SettingType upstreams() {
    return new Upstreams();
  }

  private static String string(String key, Object raw) {
    if (raw instanceof String || raw instanceof Number || raw instanceof Boolean) {
      return raw.toString();
    }
    throw new ConfigException(key, raw, "not a string");
  }

  record Text(boolean required) implements SettingType {
    @Override
    public Object parse(String key, Object raw) {
      String value = string(key, raw).trim();
      if (required && value.isEmpty()) {
        throw new ConfigException(key, raw, "empty");
      }
      return value;
    }

    @Override
    public String describe() {
      return required ? "text" : "text, may be empty";
    }
  }

  record Whole(int min, int max) implements SettingType {
    @Override
    public Object parse(String key, Object raw) {
      long number;
      try {
        number =
            raw instanceof Number n && n.doubleValue() == n.longValue()
                ? n.longValue()
                : Long.parseLong(string(key, raw).trim());
      } catch (NumberFormatException e) {
        throw new ConfigException(key, raw, "not a whole number");
      }
      if (number < min || number > max) {
        throw new ConfigException(key, raw, "out of range; expected " + min + " to " + max);
      }
      return (int) number;
    }

    @Override
    public String describe() {
      return min + " to " + max;
    }
  }

  record Bool() implements SettingType {
    @Override
    public Object parse(String key, Object raw) {
      if (raw instanceof Boolean b) {
        return b;
      }
      return switch (string(key, raw).trim().toLowerCase(Locale.ROOT)) {
        case "true" -> true;
        case "false" -> false;
        default -> throw new ConfigException(key, raw, "not true or false");
      };
    }

    @Override
    public String describe() {
      return "`true`, `false`";
    }
  }

  /** One of a few words, matched ignoring case and stored as declared. */
  record OneOf(List<String> choices) implements SettingType {
    @Override
    public Object parse(String key, Object raw) {
      String value = string(key, raw).trim();
      return choices.stream()
          .filter(value::equalsIgnoreCase)
          .findFirst()
          .orElseThrow(
              () -> new ConfigException(key, value, "none of " + String.join(", ", choices)));
    }

    @Override
    public String describe() {
      return "`" + String.join("`, `", choices) + "`";
    }
  }

  /** A JSON array in the file, or its text in the environment; each entry checked. */
  record Upstreams() implements SettingType {
    private static final Pattern NAME = Pattern.compile("[a-z0-9-]{1,32}");

    @Override
    public Object parse(String key, Object raw) {
      JsonArray list;
      try {
        list = raw instanceof JsonArray array ? array : new JsonArray(string(key, raw));
      } catch (DecodeException e) {
        throw new ConfigException(key, raw, "not a JSON array of {\"name\",\"url\",\"timeoutMs\"}");
      }
      Set<String> names = new HashSet<>();
      for (Object entry : list) {
        if (!(entry instanceof JsonObject upstream)
            || !(upstream.getValue("name") instanceof String name)
            || !NAME.matcher(name).matches()
            || !(upstream.getValue("url") instanceof String url)
            || !(url.startsWith("http://") || url.startsWith("https://"))
            || !(upstream.getValue("timeoutMs") instanceof Number timeout)
            || timeout.intValue() < 1
            || timeout.intValue() > 60_000) {
          throw new ConfigException(
              key,
              entry,
              "not an upstream: name of 1 to 32 of a-z, 0-9, '-'; an http(s) url; timeoutMs 1 to 60000");
        }
        if (!names.add(name)) {
          throw new ConfigException(key, name, "a name used twice");
        }
      }
      return list;
    }

    @Override
    public String describe() {
      return "JSON array of `{\"name\",\"url\",\"timeoutMs\"}` (its text in the environment)";
    }
  }
}
