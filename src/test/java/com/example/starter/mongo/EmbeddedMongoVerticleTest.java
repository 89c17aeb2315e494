package com.example.starter.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.starter.TestConfig;
import com.example.starter.config.AppConfig;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class EmbeddedMongoVerticleTest {

  @Test
  void dataInTheDataDirSurvivesARestart(Vertx vertx, @TempDir Path dataDir) {
    AppConfig config = TestConfig.verticleConfig(vertx, dataDir);

    EmbeddedMongoVerticle first = new EmbeddedMongoVerticle();
    String id = deploy(vertx, first, config);
    MongoClient client =
        MongoClient.create(
            vertx,
            new JsonObject()
                .put("connection_string", first.connectionString())
                .put("db_name", "t"));
    client.insert("things", new JsonObject().put("_id", "kept").put("n", 1)).await();
    client.close().await();
    vertx.undeploy(id).await();

    EmbeddedMongoVerticle second = new EmbeddedMongoVerticle();
    deploy(vertx, second, config);
    MongoClient again =
        MongoClient.create(
            vertx,
            new JsonObject()
                .put("connection_string", second.connectionString())
                .put("db_name", "t"));
    assertThat(
            again
                .findOne("things", new JsonObject().put("_id", "kept"), null)
                .await()
                .getInteger("n"))
        .isEqualTo(1);
    assertThat(dataDir.resolve(EmbeddedMongoVerticle.FILE_NAME)).exists();
    again.close().await();
  }

  @Test
  void itListensOnLoopbackOnly(Vertx vertx, @TempDir Path dataDir) {
    EmbeddedMongoVerticle mongo = new EmbeddedMongoVerticle();
    deploy(vertx, mongo, TestConfig.verticleConfig(vertx, dataDir));
    assertThat(mongo.connectionString()).startsWith("mongodb://127.0.0.1:");
  }

  private static String deploy(Vertx vertx, EmbeddedMongoVerticle verticle, AppConfig config) {
    return vertx
        .deployVerticle(
            verticle,
            new DeploymentOptions()
                .setConfig(config.json())
                .setThreadingModel(ThreadingModel.WORKER))
        .await();
  }
}
