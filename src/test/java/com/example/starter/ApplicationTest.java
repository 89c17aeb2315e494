package com.example.starter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import com.example.starter.config.ConfigException;
import com.example.starter.config.Role;
import com.example.starter.config.Setting;
import com.example.starter.http.ApiErrors;
import io.netty.util.ResourceLeakDetector;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.net.ConnectException;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole application in one JVM, against the embedded database, as {@code java -jar} runs it.
 */
class ApplicationTest {

  @RegisterExtension final RunningApp running = RunningApp.perTest();

  private Application app;

  /**
   * Held for the whole test: Vert.x shuts down a client that becomes unreachable, even mid-request.
   */
  private WebSocketClient webSockets;

  private HttpResponse<Buffer> get(String path) {
    return running.get(path);
  }

  private WebSocketClient webSockets() {
    if (webSockets == null) {
      webSockets = running.client().createWebSocketClient();
    }
    return webSockets;
  }

  @Test
  void devModeServesHelloEchoHealthAndMetrics() throws Exception {
    app = running.start();

    assertThat(get("/hello").bodyAsString()).isEqualTo("Hello, world");
    assertThat(get("/api/greetings?name=Ada").bodyAsJsonObject().getString("greeting"))
        .isEqualTo("Hello, Ada!");

    HttpResponse<Buffer> ready = get("/health/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.bodyAsJsonObject().getJsonArray("checks"))
        .as("every role with a health address, answering it on the bus")
        .extracting(
            check -> ((JsonObject) check).getString("id"),
            check -> ((JsonObject) check).getString("status"))
        .containsExactlyInAnyOrderElementsOf(
            Role.deployed().stream()
                .filter(role -> role.healthAddress().isPresent())
                .map(role -> tuple(role.key(), "UP"))
                .toList());

    assertThat(get("/metrics").bodyAsString())
        .contains("vertx_http_server_requests_total", "jvm_memory_used_bytes");

    WebSocket socket = webSockets().connect(app.wsPort(), "127.0.0.1", "/ws/echo").await();
    Promise<String> answer = Promise.promise();
    socket.textMessageHandler(answer::tryComplete);
    socket.writeTextMessage("ping");
    assertThat(answer.future().await(5, TimeUnit.SECONDS)).isEqualTo("ping/answer");
  }

  @Test
  void clientsThatResetTheirConnectionsAreDebugLinesNotErrors() throws Exception {
    app = running.start();
    try (LogCapture everything = LogCapture.ofEverything(ApiErrors.class);
        LogCapture router = LogCapture.of("io.vertx.ext.web.RoutingContext")) {
      for (int i = 0; i < 5; i++) {
        Socket socket = new Socket("127.0.0.1", app.httpPort());
        socket.getOutputStream().write(RawHttp.truncatedRegistration());
        // A reset, not a close: what a client that gives up mid-request sends.
        socket.setSoLinger(true, 0);
        socket.close();
      }
      await("the resets noticed")
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  everything.messages().stream()
                      .anyMatch(line -> line.contains("the client's connection failed")));
      assertThat(everything.messages(Level.ERROR)).isEmpty();
      assertThat(router.messages()).isEmpty();
    }
  }

  @Test
  void oneLineSaysItIsReadyWithItsUrlsRolesAndStartTime() {
    try (LogCapture lines = LogCapture.ofEverything(Application.class)) {
      app = running.start();
      assertThat(lines.messages())
          .filteredOn(line -> line.startsWith("Ready: "))
          .singleElement()
          .asString()
          .contains(
              "http://127.0.0.1:" + app.httpPort() + "/",
              "ws://127.0.0.1:" + app.wsPort() + "/",
              "/api-docs/",
              "roles http,ws,accounts,sessions,greetings")
          .containsPattern("started in \\d+\\.\\d s");
    }
  }

  @Test
  void anEchoSocketClosedOnRequestLeavesNoErrorBehind() throws Exception {
    app = running.start();
    try (LogCapture errors = LogCapture.of(Application.class)) {
      WebSocket socket = webSockets().connect(app.wsPort(), "127.0.0.1", "/ws/echo").await();
      Future<Short> closed = WebSocketClose.status(socket);
      socket.writeTextMessage("close");
      assertThat(closed.await(5, TimeUnit.SECONDS)).isEqualTo((short) 1000);
      assertThat(errors.messages(Level.ERROR)).isEmpty();
    }
  }

  @Test
  void stoppingReleasesThePorts() {
    app = running.start();
    int port = app.httpPort();
    app.stop().await();
    app = null;

    assertThatThrownBy(() -> running.web().get(port, "127.0.0.1", "/hello").send().await())
        .isInstanceOf(ConnectException.class);
  }

  /** The settings' own defaults once refused this ("expected at most 59"): they follow it now. */
  @Test
  void aOneMinuteSessionTimeoutAloneStarts() {
    app = running.start(settings -> settings.put(Setting.SESSION_TIMEOUT_MINUTES.name(), 1));
    assertThat(get("/hello").statusCode()).isEqualTo(200);
  }

  @Test
  void theDefaultUpstreamsCallThisProcessOnThePortItGot() {
    app = running.start();
    JsonArray upstreams = get("/api/upstreams").bodyAsJsonObject().getJsonArray("upstreams");
    assertThat(upstreams.stream().map(upstream -> ((JsonObject) upstream).getMap()))
        .extracting(upstream -> upstream.get("name"), upstream -> upstream.get("ok"))
        .containsExactly(tuple("hello", true), tuple("ready", true));
  }

  @Test
  void withAManagementPortHealthAndMetricsLeaveThePublicOne() {
    app = running.start(settings -> settings.put(Setting.MANAGEMENT_PORT.name(), 0));
    int management = app.managementPort();

    assertThat(get("/metrics").statusCode()).isEqualTo(404);
    assertThat(get("/health/ready").statusCode()).isEqualTo(404);
    assertThat(get("/hello").statusCode()).isEqualTo(200);
    assertThat(running.web().get(management, "127.0.0.1", "/metrics").send().await().bodyAsString())
        .contains("vertx_http_server_requests_total");
    assertThat(
            running.web().get(management, "127.0.0.1", "/health/ready").send().await().statusCode())
        .isEqualTo(200);
  }

  @Test
  void aProcessWithoutTheHttpRoleStillAnswersHealthAndMetrics() {
    app = running.start(settings -> settings.put(Setting.ROLES.name(), "accounts,sessions"));

    HttpResponse<Buffer> ready = get("/health/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.bodyAsString()).contains("accounts", "sessions");
    assertThat(get("/metrics").statusCode()).isEqualTo(200);
    assertThat(get("/health/live").statusCode()).isEqualTo(200);
    assertThat(get("/hello").statusCode()).isEqualTo(404);
  }

  @Test
  void theMongoRoleAloneServesTheDatabaseAndItsProbes() {
    int mongoPort = TestConfig.reservedPort();
    app =
        running.start(
            settings ->
                settings
                    .put(Setting.ROLES.name(), "mongo")
                    .put(Setting.EMBEDDED_MONGO_PORT.name(), mongoPort));

    assertThat(get("/health/ready").statusCode()).isEqualTo(200);
    assertThat(app.verticleConfig().mongoUrl()).isEqualTo("mongodb://127.0.0.1:" + mongoPort);
  }

  @Test
  void anImpossibleSplitFailsBeforeAnythingStarts() {
    JsonObject httpAlone =
        TestConfig.overrides(running.newDataDir()).put(Setting.ROLES.name(), "http");
    assertThatThrownBy(() -> Application.start(httpAlone).await())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("the http role needs accounts and sessions");
  }

  @Test
  void aTakenPortFailsTheStartAndStopsWhatHadStarted() {
    int taken =
        running
            .client()
            .createHttpServer()
            .requestHandler(request -> request.response().end())
            .listen(0, "127.0.0.1")
            .await()
            .actualPort();
    JsonObject overrides =
        TestConfig.overrides(running.newDataDir()).put(Setting.WS_PORT.name(), taken);

    assertThatThrownBy(() -> Application.start(overrides).await())
        .hasMessageContaining("Address already in use");
    // The database of the failed start is stopped: another start opens the same data.
    Application again = Application.start(overrides.put(Setting.WS_PORT.name(), 0)).await();
    again.stop().await();
  }

  @Test
  void debugModeReportsABlockedEventLoopWithItsStack() {
    // Debug mode sets Netty's leak detector for the whole JVM: this test puts it back.
    ResourceLeakDetector.Level leakDetection = ResourceLeakDetector.getLevel();
    try (LogCapture checker = LogCapture.of("io.vertx.core.impl.BlockedThreadChecker")) {
      app = running.start(settings -> settings.put(Setting.DEBUG.name(), true));
      Promise<Void> unblocked = Promise.promise();
      app.vertx()
          .runOnContext(
              v -> {
                // What debug mode exists to catch: blocking work on an event loop.
                blockFor(400);
                unblocked.complete();
              });
      unblocked.future().await();

      assertThat(checker.events())
          .anySatisfy(
              event -> {
                assertThat(event.getFormattedMessage()).contains("has been blocked");
                assertThat(event.getThrowableProxy()).isNotNull();
              });
    } finally {
      ResourceLeakDetector.setLevel(leakDetection);
    }
  }

  private static void blockFor(long millis) {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (System.nanoTime() < end) {
      Thread.onSpinWait();
    }
  }
}
