package com.example.starter.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.starter.TestConfig;
import com.example.starter.config.AppConfig;
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
    String id = EmbeddedMongo.deploy(vertx, first, config);
    MongoClient client = client(vertx, first);
    client.insert("things", new JsonObject().put("_id", "kept").put("n", 1)).await();
    client.close().await();
    vertx.undeploy(id).await();

    EmbeddedMongoVerticle second = new EmbeddedMongoVerticle();
    EmbeddedMongo.deploy(vertx, second, config);
    MongoClient again = client(vertx, second);
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
    EmbeddedMongo.deploy(vertx, mongo, TestConfig.verticleConfig(vertx, dataDir));
    assertThat(mongo.connectionString()).startsWith("mongodb://127.0.0.1:");
  }

  private static MongoClient client(Vertx vertx, EmbeddedMongoVerticle mongo) {
    return MongoClient.create(
        vertx,
        new JsonObject().put("connection_string", mongo.connectionString()).put("db_name", "t"));
  }
}
