package com.example.starter.cluster;

import static com.example.starter.RunningApp.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.example.starter.ApiContract;
import com.example.starter.Application;
import com.example.starter.RunningApp;
import com.example.starter.SessionProbe;
import com.example.starter.StoredDocuments;
import com.example.starter.TestConfig;
import com.example.starter.WebSocketClose;
import com.example.starter.config.Setting;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientSession;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Real Hazelcast-clustered Vert.x nodes in one JVM, on loopback: the data roles on one node, two
 * http/ws nodes that reach them only through the clustered event bus.
 */
class ClusterTest {

  private static final JsonObject ALICE =
      new JsonObject().put("login", "alice").put("password", "correct horse");

  @RegisterExtension final RunningApp running = RunningApp.perTest();

  private final List<Application> nodes = new ArrayList<>();

  /**
   * Clients held for the whole test: Vert.x shuts down a client that becomes unreachable, even
   * mid-request.
   */
  private WebClient web;

  private WebSocketClient webSockets;
  private final Map<Integer, WebClient> webByPort = new HashMap<>();
  private Application data;
  private Application front1;
  private Application front2;

  @BeforeEach
  void startCluster() {
    web = ApiContract.webClient(running.client());
    webSockets = running.client().createWebSocketClient();
    int[] ports = {TestConfig.reservedPort(), TestConfig.reservedPort(), TestConfig.reservedPort()};
    String members = "127.0.0.1:" + ports[0] + ",127.0.0.1:" + ports[1] + ",127.0.0.1:" + ports[2];
    data = start("accounts,sessions", ports[0], members);
    front1 = start("http,ws", ports[1], members);
    front2 = start("http,ws", ports[2], members);
  }

  private Application start(String roles, int clusterPort, String members) {
    Application node =
        running.start(
            settings ->
                settings
                    // One http verticle per node: the tests know which session cache they warm.
                    .put(Setting.HTTP_INSTANCES.name(), 1)
                    .put(Setting.SESSION_SWEEP_SECONDS.name(), 1)
                    .put(Setting.ROLES.name(), roles)
                    .put(Setting.CLUSTER.name(), true)
                    .put(Setting.CLUSTER_HOST.name(), "127.0.0.1")
                    .put(Setting.CLUSTER_PORT.name(), clusterPort)
                    .put(Setting.CLUSTER_MEMBERS.name(), members));
    nodes.add(node);
    return node;
  }

  private WebClientSession browser(Application node) {
    return WebClientSession.create(
        webByPort.computeIfAbsent(node.httpPort(), port -> running.webClient(node)));
  }

  @Test
  void theContractHoldsAcrossNodes() throws Exception {
    WebClientSession onFront1 = browser(front1);
    assertThat(post(onFront1, "/api/accounts", ALICE).statusCode()).isEqualTo(201);
    HttpResponse<Buffer> login = onFront1.post("/api/session").sendJsonObject(ALICE).await();
    assertThat(login.statusCode()).isEqualTo(200);
    String cookie = login.cookies().get(0);
    String cookieValue = cookie.substring(0, cookie.indexOf(';'));

    WebClient onFront2 = web;
    HttpResponse<Buffer> me =
        onFront2
            .get(front2.httpPort(), "127.0.0.1", "/api/me")
            .putHeader("Cookie", cookieValue)
            .send()
            .await();
    assertThat(me.bodyAsJsonObject().getString("login")).isEqualTo("alice");

    // Chat: one socket on each front node, one message, both receive it.
    WebSocket viaFront1 = chat(front1, cookieValue);
    WebSocket viaFront2 = chat(front2, cookieValue);
    Promise<JsonObject> onFirst = Promise.promise();
    Promise<JsonObject> onSecond = Promise.promise();
    viaFront1.textMessageHandler(text -> onFirst.tryComplete(new JsonObject(text)));
    viaFront2.textMessageHandler(text -> onSecond.tryComplete(new JsonObject(text)));
    // front2's room consumer reaches front1's view of the cluster a moment after front2's socket
    // opens (Hazelcast tells every node of a new subscription asynchronously), and a message
    // published meanwhile is not for it: say it again, under the rate limit, until front2 hears it.
    await("front2 to hear front1")
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(300))
        .until(
            () -> {
              viaFront1.writeTextMessage("across the cluster");
              return onSecond.future().isComplete();
            });
    assertThat(onSecond.future().result().getString("from")).isEqualTo("alice");
    assertThat(onFirst.future().await(10, TimeUnit.SECONDS).getString("text"))
        .isEqualTo("across the cluster");

    // Log out through the second node: the session is dead on both, and its sockets close on both.
    Future<Short> closedOnFront1 = WebSocketClose.status(viaFront1);
    assertThat(SessionProbe.delete(onFront2, front2.httpPort(), "/api/session", cookieValue))
        .isEqualTo(204);
    assertThat(closedOnFront1.await(10, TimeUnit.SECONDS)).isEqualTo((short) 1000);
    for (Application node : List.of(front1, front2)) {
      assertThat(SessionProbe.me(onFront2, node.httpPort(), cookieValue)).isEqualTo(401);
    }
  }

  @Test
  void aLogoutOnOneNodeIsRefusedOnAnotherWithin100Ms() {
    String cookie = loggedIn(front1);
    WebClient probe = web;
    for (int i = 0; i < 3; i++) {
      assertThat(SessionProbe.me(probe, front2.httpPort(), cookie))
          .as("served from front2's cache")
          .isEqualTo(200);
    }
    assertThat(SessionProbe.delete(probe, front1.httpPort(), "/api/session", cookie))
        .isEqualTo(204);

    long refusedAfter = SessionProbe.millisUntilRefused(probe, front2.httpPort(), cookie);
    assertThat(refusedAfter)
        .as("ms from the logout's answer on front1 to front2's refusal")
        .isLessThan(100);
  }

  @Test
  void anExpiredSessionIsRefusedEverywhereAndItsChatSocketsCloseOnEveryNode() throws Exception {
    String cookie = loggedIn(front1);
    WebClient probe = web;
    for (Application front : List.of(front1, front2)) {
      assertThat(SessionProbe.me(probe, front.httpPort(), cookie)).isEqualTo(200);
    }
    WebSocket onFront1 = chat(front1, cookie);
    WebSocket onFront2 = chat(front2, cookie);
    Future<Short> closedOnFront1 = WebSocketClose.status(onFront1);
    Future<Short> closedOnFront2 = WebSocketClose.status(onFront2);

    // Time passes for this session alone: its expiry moves into the past, as if its timeout had run
    // out.
    MongoClient database = TestConfig.database(running.client(), data.verticleConfig());
    StoredDocuments.expireNow(
        database,
        "sessions",
        new JsonObject().put("_id", cookie.substring(cookie.indexOf('=') + 1)));

    assertThat(closedOnFront1.await(10, TimeUnit.SECONDS)).isEqualTo((short) 1000);
    assertThat(closedOnFront2.await(10, TimeUnit.SECONDS)).isEqualTo((short) 1000);
    // The sweep's one published end reaches each node's ws and http verticles on their own event
    // loops, in no set order: a request sent the moment a socket closes may still find the cache.
    for (Application front : List.of(front1, front2)) {
      assertThat(SessionProbe.millisUntilRefused(probe, front.httpPort(), cookie))
          .as("ms from the sockets' close to the refusal on port %d", front.httpPort())
          .isLessThan(1000);
    }
  }

  /**
   * Registers alice through {@code node}, logs her in there, and answers the session cookie ({@code
   * name=value}).
   */
  private String loggedIn(Application node) {
    return loggedIn(node, ALICE, true);
  }

  private String loggedIn(Application node, JsonObject credentials, boolean register) {
    WebClientSession browser = browser(node);
    if (register) {
      assertThat(post(browser, "/api/accounts", credentials).statusCode()).isEqualTo(201);
    }
    String setCookie =
        browser.post("/api/session").sendJsonObject(credentials).await().cookies().get(0);
    return setCookie.substring(0, setCookie.indexOf(';'));
  }

  @Test
  void loggingOutEverywhereEndsEverySessionOfTheAccountOnEveryNodeAndClosesItsSockets()
      throws Exception {
    String onFront1 = loggedIn(front1);
    String onFront2 = loggedIn(front2, ALICE, false);
    String bob =
        loggedIn(
            front2, new JsonObject().put("login", "bob").put("password", "correct horse"), true);
    WebClient probe = web;
    for (Application front : List.of(front1, front2)) {
      for (String cookie : List.of(onFront1, onFront2, bob)) {
        assertThat(SessionProbe.me(probe, front.httpPort(), cookie))
            .as("served, then cached, on every front")
            .isEqualTo(200);
      }
    }
    WebSocket socket = chat(front1, onFront1);
    Future<Short> closed = WebSocketClose.status(socket);

    assertThat(SessionProbe.delete(probe, front2.httpPort(), "/api/me/sessions", onFront2))
        .isEqualTo(204);

    assertThat(closed.await(10, TimeUnit.SECONDS)).isEqualTo((short) 1000);
    for (Application front : List.of(front1, front2)) {
      for (String cookie : List.of(onFront1, onFront2)) {
        assertThat(SessionProbe.millisUntilRefused(probe, front.httpPort(), cookie))
            .as("ms until refused")
            .isLessThan(100);
      }
      assertThat(SessionProbe.me(probe, front.httpPort(), bob))
          .as("another account's session")
          .isEqualTo(200);
    }
  }

  @Test
  void theLoginLimitHoldsAcrossNodes() {
    browser(front1).post("/api/accounts").sendJsonObject(ALICE).await();
    JsonObject wrong = new JsonObject().put("login", "alice").put("password", "battery staple");
    int max = data.config().json().getInteger(Setting.LOGIN_MAX_FAILURES.name());
    for (int i = 0; i < max; i++) {
      Application node = i % 2 == 0 ? front1 : front2;
      assertThat(browser(node).post("/api/session").sendJsonObject(wrong).await().statusCode())
          .isEqualTo(401);
    }
    assertThat(browser(front2).post("/api/session").sendJsonObject(ALICE).await().statusCode())
        .isEqualTo(429);
    assertThat(browser(front1).post("/api/session").sendJsonObject(ALICE).await().statusCode())
        .isEqualTo(429);
  }

  @Test
  void everyNodeIsReadyAndFrontNodesCheckTheDataRolesOverTheBus() {
    for (Application node : nodes) {
      HttpResponse<Buffer> ready =
          web.get(node.httpPort(), "127.0.0.1", "/health/ready").send().await();
      assertThat(ready.statusCode())
          .as(node.config().json().getString(Setting.ROLES.name()))
          .isEqualTo(200);
    }
  }

  private WebSocket chat(Application node, String cookie) {
    int httpPort = node.httpPort();
    return webSockets
        .connect(
            new WebSocketConnectOptions()
                .setHost("127.0.0.1")
                .setPort(node.wsPort())
                .setURI("/ws/chat?room=lobby")
                .addHeader("Origin", "http://127.0.0.1:" + httpPort)
                .addHeader("Cookie", cookie))
        .await();
  }
}
