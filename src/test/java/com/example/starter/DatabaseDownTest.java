package com.example.starter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.example.starter.config.Setting;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClientSession;
import java.lang.ref.Reference;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The database goes away under a running service, and comes back. */
class DatabaseDownTest {

  private static final JsonObject ALICE =
      new JsonObject().put("login", "alice").put("password", "correct horse");

  /** MONGO_TIMEOUT_MS in the test configuration, plus room for a slow machine. */
  private static final Duration BOUND = Duration.ofSeconds(5);

  @RegisterExtension final RunningApp running = RunningApp.perTest();

  /** The database alone, on {@code port}, its data in {@code dataDir} across restarts. */
  private Application startDatabase(int port, Path dataDir) {
    return running.start(
        settings ->
            settings
                .put(Setting.ROLES.name(), "mongo")
                .put(Setting.DATA_DIR.name(), dataDir.toString())
                .put(Setting.EMBEDDED_MONGO_PORT.name(), port));
  }

  @Test
  void requestsNeedingTheDatabaseAnswer503QuicklyAndRecoverWhenItIsBack() {
    int port = TestConfig.reservedPort();
    Path databaseData = running.newDataDir();
    Application database = startDatabase(port, databaseData);
    // One http verticle: the session cache the test relies on is the one its requests meet.
    Application service =
        running.start(
            settings ->
                settings
                    .put(Setting.HTTP_INSTANCES.name(), 1)
                    .put(Setting.MONGO_URL.name(), "mongodb://127.0.0.1:" + port));
    WebClientSession browser = WebClientSession.create(running.webClient(service));
    browser.post("/api/accounts").sendJsonObject(ALICE).await();
    browser.post("/api/session").sendJsonObject(ALICE).await();

    running.stop(database);

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

    startDatabase(port, databaseData);
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
