package com.example.starter.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.starter.TestConfig;
import com.example.starter.config.AppConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class MongoTest {

  @Test
  void anUnreachableDatabaseFailsQuicklyAndSaysWhere(Vertx vertx, @TempDir Path dataDir)
      throws IOException {
    try (Socket nothing = TestConfig.refusingPort()) {
      AppConfig config =
          TestConfig.verticleConfig(vertx, dataDir)
              .withMongoUrl("mongodb://app:s3cret@127.0.0.1:" + nothing.getLocalPort());
      long start = System.nanoTime();

      assertThatThrownBy(() -> Mongo.connect(vertx, config).await())
          .hasMessageContaining("MongoDB at mongodb://***@127.0.0.1:")
          .hasMessageContaining("did not answer within 1000 ms")
          .hasMessageNotContaining("s3cret");
      assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5000);
    }
  }

  @Test
  void aReachableDatabaseGivesAClient(Vertx vertx, @TempDir Path dataDir) {
    AppConfig config = EmbeddedMongo.start(vertx, TestConfig.verticleConfig(vertx, dataDir));
    assertThat(
            Mongo.connect(vertx, config)
                .await()
                .runCommand("ping", new JsonObject().put("ping", 1))
                .await()
                .getDouble("ok"))
        .isEqualTo(1.0);
  }
}
