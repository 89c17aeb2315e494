package com.example.starter;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.starter.bus.Addresses;
import com.example.starter.config.Setting;
import com.example.starter.sessions.BusSessionStore;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Session;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientSession;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every database call a request or a sweep makes is an index lookup on the embedded database (the
 * one that scans when no index fits): the embedded server reports each query no index answers, and
 * here, with the session cache off and a touch on every request, none may be reported.
 */
class IndexedRequestPathTest {

  private static final JsonObject ALICE =
      new JsonObject().put("login", "alice").put("password", "correct horse");

  @RegisterExtension final RunningApp running = RunningApp.perTest();

  private LogCapture scans;
  private Application app;
  private WebClient web;

  @BeforeEach
  void start() {
    scans = LogCapture.of("com.example.starter.mongo.ScanReport");
    app =
        running.start(
            settings ->
                settings
                    .put(Setting.SESSION_CACHE_SIZE.name(), 0)
                    .put(Setting.SESSION_TOUCH_AFTER_SECONDS.name(), 0)
                    .put(Setting.SESSION_SWEEP_SECONDS.name(), 1));
    web = running.web();
  }

  @AfterEach
  void stop() {
    scans.close();
  }

  @Test
  void registrationLoginSessionsThrottlingAndSweepsUseIndexesOnly() throws Exception {
    WebClientSession browser = WebClientSession.create(web);
    assertThat(browser.post("/api/accounts").sendJsonObject(ALICE).await().statusCode())
        .isEqualTo(201);
    assertThat(browser.post("/api/accounts").sendJsonObject(ALICE).await().statusCode())
        .isEqualTo(409);
    assertThat(
            browser
                .post("/api/session")
                .sendJsonObject(ALICE.copy().put("password", "wrong horse"))
                .await()
                .statusCode())
        .isEqualTo(401);
    assertThat(browser.post("/api/session").sendJsonObject(ALICE).await().statusCode())
        .isEqualTo(200);
    for (int i = 0; i < 3; i++) {
      assertThat(browser.get("/api/me").send().await().statusCode()).isEqualTo(200);
    }
    assertThat(
            browser
                .delete("/api/session")
                .putHeader("Content-Type", "application/json")
                .send()
                .await()
                .statusCode())
        .isEqualTo(204);
    assertThat(browser.get("/api/me").send().await().statusCode()).isEqualTo(401);
    assertThat(browser.post("/api/session").sendJsonObject(ALICE).await().statusCode())
        .isEqualTo(200);
    assertThat(
            browser
                .delete("/api/me/sessions")
                .putHeader("Content-Type", "application/json")
                .send()
                .await()
                .statusCode())
        .isEqualTo(204);
    JsonObject bob =
        new JsonObject()
            .put("login", "bob")
            .put("password", "correct horse")
            .put("email", "bob@example.com");
    assertThat(browser.post("/api/accounts").sendJsonObject(bob).await().statusCode())
        .isEqualTo(201);
    assertThat(
            browser
                .post("/api/password-reset")
                .sendJsonObject(new JsonObject().put("email", "bob@example.com"))
                .await()
                .statusCode())
        .isEqualTo(202);
    assertThat(browser.post("/api/session").sendJsonObject(bob).await().statusCode())
        .isEqualTo(200);
    assertThat(
            browser
                .delete("/api/me")
                .sendJsonObject(new JsonObject().put("password", "correct horse"))
                .await()
                .statusCode())
        .isEqualTo(204);

    BusSessionStore store = BusSessionStore.create(app.vertx(), app.verticleConfig());
    Session expiring = store.createSession(0, 32);
    expiring.put(BusSessionStore.LOGIN, "alice");
    Promise<Void> swept = Promise.promise();
    app.vertx()
        .eventBus()
        .<JsonObject>consumer(
            Addresses.SESSION_ENDED,
            message -> {
              if (message.body().getJsonArray("ids").contains(expiring.id())) {
                swept.tryComplete();
              }
            })
        .completion()
        .await();
    store.put(expiring).await();
    swept.future().await(10, TimeUnit.SECONDS);

    assertThat(scans.messages()).isEmpty();
  }
}
