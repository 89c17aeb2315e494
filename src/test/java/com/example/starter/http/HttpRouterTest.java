package com.example.starter.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.starter.TestConfig;
import com.example.starter.config.AppConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.lang.ref.Reference;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** What the router does with a route that breaks: the routes a team adds get the same treatment. */
@ExtendWith(VertxExtension.class)
class HttpRouterTest {

  @Test
  void aFailingHandlerIsAJson500ThatTellsNothingInternal(Vertx vertx, @TempDir Path dataDir) {
    AppConfig config = TestConfig.verticleConfig(vertx, dataDir);
    Router router = HttpRouter.create(vertx, config).await();
    router
        .get("/api/broken")
        .handler(
            ctx -> {
              throw new IllegalStateException("secret internal detail");
            });
    int port =
        vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await().actualPort();

    // Not checked against the contract: the route is the test's own, in no operation.
    WebClient web = WebClient.create(vertx);
    HttpResponse<Buffer> response = web.get(port, "127.0.0.1", "/api/broken").send().await();
    // Vert.x shuts down a client that becomes unreachable, even mid-request.
    Reference.reachabilityFence(web);

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo("internal_error");
    assertThat(response.bodyAsString()).doesNotContain("secret");
    assertThat(response.getHeader(RequestId.HEADER)).isNotBlank();
  }
}
