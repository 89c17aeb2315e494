package com.example.starter.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the configuration in layers, each overriding the one before: the config file, then
 * environment variables, then system properties, then the overrides given in code (tests); a
 * setting given nowhere takes its declared default ({@link Setting}).
 */
public final class ConfigLoader {

  static final String DEFAULT_FILE = "conf/config.json";

  /** Where the configuration file is; read from the environment or system properties only. */
  public static final String CONFIG_FILE = "CONFIG_FILE";

  /** Every setting may come from the environment. */
  private static final List<String> SETTING_NAMES =
      Arrays.stream(Setting.values()).map(Setting::name).toList();

  private ConfigLoader() {}

  public static Future<AppConfig> load(Vertx vertx, JsonObject overrides) {
    ConfigRetrieverOptions options =
        new ConfigRetrieverOptions()
            .setScanPeriod(0)
            .addStore(
                new ConfigStoreOptions()
                    .setType("file")
                    .setFormat("json")
                    .setConfig(new JsonObject().put("path", configFile())))
            .addStore(
                new ConfigStoreOptions()
                    .setType("env")
                    .setConfig(
                        new JsonObject()
                            .put("raw-data", true)
                            .put("keys", new JsonArray(SETTING_NAMES))))
            .addStore(
                new ConfigStoreOptions()
                    .setType("sys")
                    .setConfig(new JsonObject().put("cache", false)))
            .addStore(new ConfigStoreOptions().setType("json").setConfig(overrides));
    ConfigRetriever retriever = ConfigRetriever.create(vertx, options);
    return retriever.getConfig().eventually(retriever::close).map(AppConfig::from);
  }

  private static String configFile() {
    String fromProperty = System.getProperty(CONFIG_FILE);
    if (fromProperty != null) {
      return fromProperty;
    }
    String fromEnv = System.getenv(CONFIG_FILE);
    return fromEnv != null ? fromEnv : DEFAULT_FILE;
  }
}
