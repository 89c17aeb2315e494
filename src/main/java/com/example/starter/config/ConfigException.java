package com.example.starter.config;

/** A configuration that cannot start: the message names the key, the value and what is wrong. */
public class ConfigException extends RuntimeException {

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String key, Object value, String problem) {
    this(key + "='" + value + "' is " + problem);
  }

  public ConfigException(Setting setting, Object value, String problem) {
    this(setting.name(), value, problem);
  }
}
