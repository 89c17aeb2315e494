package com.example.starter.accounts;

import com.example.starter.TestConfig;
import com.example.starter.bus.Addresses;
import com.example.starter.config.ConfigKeys;
import com.example.starter.mongo.EmbeddedMongo;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
class AccountsVerticleTest {

  private JsonObject config;

  @BeforeEach
  void deploy(Vertx vertx, @TempDir Path dataDir) {
    config = EmbeddedMongo.start(vertx, TestConfig.verticleConfig(vertx, TestConfig.overrides(dataDir), TestConfig.registryName()));
    vertx.deployVerticle(new AccountsVerticle(), new DeploymentOptions().setConfig(config)).await();
  }

  @Test
  void answersHealthOnTheBus(Vertx vertx) {
    JsonObject reply = vertx.eventBus().<JsonObject>request(Addresses.ACCOUNTS_HEALTH, new JsonObject()).await().body();
    assertThat(reply.getString("status")).isEqualTo("UP");
  }

  @Test
  void theLoginKeyIsUnique(Vertx vertx) {
    MongoClient mongo = MongoClient.create(vertx, new JsonObject()
      .put("connection_string", config.getString(ConfigKeys.MONGO_URL))
      .put("db_name", config.getString(ConfigKeys.MONGO_DB)));
    JsonObject index = mongo.listIndexes(Accounts.COLLECTION).await().stream()
      .map(JsonObject.class::cast)
      .filter(candidate -> candidate.getJsonObject("key").containsKey(Accounts.LOGIN_KEY))
      .findFirst().orElseThrow();
    assertThat(index.getBoolean("unique")).isTrue();
  }
}
