package com.example.starter;

import static com.example.starter.RunningApp.delete;
import static com.example.starter.RunningApp.deleteAccount;
import static com.example.starter.RunningApp.me;
import static com.example.starter.RunningApp.post;
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
    assertThat(post(browser, "/api/accounts", ALICE).statusCode()).isEqualTo(201);
    assertThat(post(browser, "/api/accounts", ALICE).statusCode()).isEqualTo(409);
    assertThat(
            post(browser, "/api/session", ALICE.copy().put("password", "wrong horse")).statusCode())
        .isEqualTo(401);
    assertThat(post(browser, "/api/session", ALICE).statusCode()).isEqualTo(200);
    for (int i = 0; i < 3; i++) {
      assertThat(me(browser)).isEqualTo(200);
    }
    assertThat(delete(browser, "/api/session")).isEqualTo(204);
    assertThat(me(browser)).isEqualTo(401);
    assertThat(post(browser, "/api/session", ALICE).statusCode()).isEqualTo(200);
    assertThat(delete(browser, "/api/me/sessions")).isEqualTo(204);
    JsonObject bob =
        new JsonObject()
            .put("login", "bob")
            .put("password", "correct horse")
            .put("email", "bob@example.com");
    assertThat(post(browser, "/api/accounts", bob).statusCode()).isEqualTo(201);
    assertThat(
            post(browser, "/api/password-reset", new JsonObject().put("email", "bob@example.com"))
                .statusCode())
        .isEqualTo(202);
    assertThat(post(browser, "/api/session", bob).statusCode()).isEqualTo(200);
    assertThat(deleteAccount(browser, "correct horse")).isEqualTo(204);

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
