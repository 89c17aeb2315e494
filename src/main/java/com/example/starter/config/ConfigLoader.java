package com.example.starter.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Reads the configuration in layers, each overriding the one before: the config file, then
 * environment variables, then system properties, then the overrides given in code (tests).
 */
public final class ConfigLoader {

  static final String DEFAULT_FILE = "conf/config.json";

  private ConfigLoader() {
  }

  public static Future<AppConfig> load(Vertx vertx, JsonObject overrides) {
    ConfigRetrieverOptions options = new ConfigRetrieverOptions()
      .setScanPeriod(0)
      .addStore(new ConfigStoreOptions().setType("file").setFormat("json")
        .setConfig(new JsonObject().put("path", configFile())))
      .addStore(new ConfigStoreOptions().setType("env")
        .setConfig(new JsonObject().put("raw-data", true).put("keys", new JsonArray(ConfigKeys.OVERRIDABLE))))
      .addStore(new ConfigStoreOptions().setType("sys")
        .setConfig(new JsonObject().put("cache", false)))
      .addStore(new ConfigStoreOptions().setType("json").setConfig(overrides));
    ConfigRetriever retriever = ConfigRetriever.create(vertx, options);
    return retriever.getConfig()
      .eventually(retriever::close)
      .map(AppConfig::from);
  }

  private static String configFile() {
    String fromProperty = System.getProperty(ConfigKeys.CONFIG_FILE);
    if (fromProperty != null) {
      return fromProperty;
    }
    String fromEnv = System.getenv(ConfigKeys.CONFIG_FILE);
    return fromEnv != null ? fromEnv : DEFAULT_FILE;
  }
}
