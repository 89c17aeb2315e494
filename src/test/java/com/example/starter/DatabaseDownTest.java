package com.example.starter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.example.starter.config.Setting;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.client.WebClientSession;
import java.lang.ref.Reference;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The database goes away under a running service, and comes back. */
class DatabaseDownTest {

  private static final JsonObject ALICE =
      new JsonObject().put("login", "alice").put("password", "correct horse");

  /** MONGO_TIMEOUT_MS in the test configuration, plus room for a slow machine. */
  private static final Duration BOUND = Duration.ofSeconds(5);

  @TempDir Path dbData;
  @TempDir Path appData;

  private final Vertx client = Vertx.vertx();
  private Application database;
  private Application service;

  @AfterEach
  void stop() {
    service.stop().await();
    if (database != null) {
      database.stop().await();
    }
    client.close().await();
  }

  private Application startDatabase(int port) {
    return Application.start(
            TestConfig.overrides(dbData)
                .put(Setting.ROLES.name(), "mongo")
                .put(Setting.EMBEDDED_MONGO_PORT.name(), port))
        .await();
  }

  @Test
  void requestsNeedingTheDatabaseAnswer503QuicklyAndRecoverWhenItIsBack() {
    int port = TestConfig.reservedPort();
    database = startDatabase(port);
    // One http verticle: the session cache the test relies on is the one its requests meet.
    service =
        Application.start(
                TestConfig.overrides(appData)
                    .put(Setting.HTTP_INSTANCES.name(), 1)
                    .put(Setting.MONGO_URL.name(), "mongodb://127.0.0.1:" + port))
            .await();
    WebClientSession browser =
        WebClientSession.create(
            ApiContract.webClient(
                client,
                new WebClientOptions()
                    .setDefaultHost("127.0.0.1")
                    .setDefaultPort(service.httpPort())));
    browser.post("/api/accounts").sendJsonObject(ALICE).await();
    browser.post("/api/session").sendJsonObject(ALICE).await();

    database.stop().await();
    database = null;

    assertUnavailableWithin(
        () ->
            browser
                .post("/api/accounts")
                .sendJsonObject(
                    new JsonObject().put("login", "bob").put("password", "correct horse"))
                .await());
    assertUnavailableWithin(() -> browser.post("/api/session").sendJsonObject(ALICE).await());
    assertUnavailableWithin(
        () ->
            browser
                .get("/api/me")
                .putHeader("Cookie", "starter.sid=" + "ab".repeat(32))
                .send()
                .await());
    assertUnavailableWithin(() -> browser.get("/health/ready").send().await());
    // A session this node has read or written recently is still known: no logout can happen
    // meanwhile.
    assertThat(browser.get("/api/me").send().await().bodyAsJsonObject().getString("login"))
        .isEqualTo("alice");

    database = startDatabase(port);
    await("ready again")
        .atMost(Duration.ofSeconds(30))
        .until(() -> browser.get("/health/ready").send().await().statusCode() == 200);
    assertThat(browser.get("/api/me").send().await().bodyAsJsonObject().getString("login"))
        .isEqualTo("alice");
    assertThat(browser.post("/api/session").sendJsonObject(ALICE).await().statusCode())
        .isEqualTo(200);
    // Vert.x shuts down a client that becomes unreachable, even mid-request.
    Reference.reachabilityFence(browser);
  }

  private static void assertUnavailableWithin(Supplier<HttpResponse<Buffer>> request) {
    long start = System.nanoTime();
    HttpResponse<Buffer> response = request.get();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BOUND);
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.getHeader("Content-Type")).startsWith("application/json");
  }
}
