package com.example.starter.mongo;

import com.example.starter.TestConfig;
import com.example.starter.config.AppConfig;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;

/**
 * Tests of a role that owns data: an embedded database of the test's own, and a config that points
 * at it.
 */
public final class EmbeddedMongo {

  private EmbeddedMongo() {}

  /**
   * Starts the database and returns {@code config} with its {@code MONGO_URL}; with {@code
   * MONGO_TEST_URL}, {@code config} already names that server (TestConfig), and nothing starts.
   */
  public static AppConfig start(Vertx vertx, AppConfig config) {
    if (TestConfig.realMongoUrl() != null) {
      return config;
    }
    EmbeddedMongoVerticle mongo = new EmbeddedMongoVerticle();
    deploy(vertx, mongo, config);
    return config.withMongoUrl(mongo.connectionString());
  }

  /** {@code mongo} deployed as the application deploys it, on a worker: its deployment id. */
  static String deploy(Vertx vertx, EmbeddedMongoVerticle mongo, AppConfig config) {
    return vertx
        .deployVerticle(
            mongo,
            new DeploymentOptions()
                .setConfig(config.json())
                .setThreadingModel(ThreadingModel.WORKER))
        .await();
  }
}
