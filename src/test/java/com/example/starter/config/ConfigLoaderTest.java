package com.example.starter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The layers: conf/config.json, then environment (see FatJarIT), then system properties, then code.
 */
@ExtendWith(VertxExtension.class)
class ConfigLoaderTest {

  @AfterEach
  void clearProperties() {
    System.clearProperty(Setting.WS_PORT.name());
    System.clearProperty(Setting.HTTP_PORT.name());
  }

  @Test
  void theFileGivesTheDefaults(Vertx vertx) {
    AppConfig config = ConfigLoader.load(vertx, new JsonObject()).await();
    assertThat(config.json().getInteger(Setting.WS_PORT.name())).isEqualTo(8081);
  }

  @Test
  void systemPropertiesOverrideTheFile(Vertx vertx) {
    System.setProperty(Setting.WS_PORT.name(), "9191");
    AppConfig config = ConfigLoader.load(vertx, new JsonObject()).await();
    assertThat(config.json().getInteger(Setting.WS_PORT.name())).isEqualTo(9191);
  }

  @Test
  void overridesInCodeComeLast(Vertx vertx) {
    System.setProperty(Setting.WS_PORT.name(), "9191");
    AppConfig config =
        ConfigLoader.load(vertx, new JsonObject().put(Setting.WS_PORT.name(), 9292)).await();
    assertThat(config.json().getInteger(Setting.WS_PORT.name())).isEqualTo(9292);
  }

  @Test
  void aBadValueFailsTheLoadWithItsName(Vertx vertx) {
    System.setProperty(Setting.HTTP_PORT.name(), "http");
    assertThatThrownBy(() -> ConfigLoader.load(vertx, new JsonObject()).await())
        .hasMessageContaining("HTTP_PORT='http'");
  }
}
