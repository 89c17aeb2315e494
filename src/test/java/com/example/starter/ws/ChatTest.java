package com.example.starter.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.example.starter.TestConfig;
import com.example.starter.WebSocketClose;
import com.example.starter.bus.Addresses;
import com.example.starter.config.AppConfig;
import com.example.starter.config.Setting;
import com.example.starter.mongo.EmbeddedMongo;
import com.example.starter.ops.RequestIds;
import com.example.starter.server.Servers;
import com.example.starter.sessions.BusSessionStore;
import com.example.starter.sessions.SessionsVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Session;
import io.vertx.micrometer.backends.BackendRegistries;
import java.lang.ref.Reference;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ws verticle's chat, with the real sessions role and database behind it. */
class ChatTest {

  private static final int RATE = 5;
  private static final int WRITE_QUEUE = 16 * 1024;

  @TempDir Path dataDir;

  private Vertx vertx;
  private String registry;
  private AppConfig config;
  private int wsPort;
  private BusSessionStore sessions;
  private WebSocketClient client;
  private String origin;

  @BeforeEach
  void deploy() {
    registry = TestConfig.registryName();
    vertx = TestConfig.vertxWithMetrics(registry);
    config =
        EmbeddedMongo.start(
            vertx,
            TestConfig.verticleConfig(
                vertx,
                TestConfig.overrides(dataDir)
                    .put(Setting.CHAT_MESSAGES_PER_SECOND.name(), RATE)
                    .put(Setting.WS_WRITE_QUEUE_BYTES.name(), WRITE_QUEUE)
                    .put(Setting.SESSION_SWEEP_SECONDS.name(), 1)
                    .put(Setting.SESSION_TOUCH_AFTER_SECONDS.name(), 1)
                    // Only names the demo page's origin, which the chat allows by default: nothing
                    // listens on it here.
                    .put(Setting.HTTP_PORT.name(), 8080),
                registry));
    vertx
        .deployVerticle(new SessionsVerticle(), new DeploymentOptions().setConfig(config.json()))
        .await();
    wsPort = Servers.deploy(vertx, WsVerticle::new, 1, config, Setting.WS_PORT).await().port();
    sessions = BusSessionStore.create(vertx, config);
    client =
        vertx.createWebSocketClient(
            new WebSocketClientOptions().setMaxFrameSize(256 * 1024).setMaxMessageSize(256 * 1024));
    origin = "http://localhost:" + config.httpPort();
  }

  @AfterEach
  void close() {
    vertx.close().await();
  }

  /** A logged-in session, as the http role leaves it in the store; answers its cookie. */
  private String loggedIn(String login) {
    return loggedIn(login, 60_000);
  }

  private String loggedIn(String login, long timeoutMillis) {
    Session session = sessions.createSession(timeoutMillis, 32);
    session.put(BusSessionStore.LOGIN, login);
    sessions.put(session).await();
    return BusSessionStore.COOKIE + "=" + session.id();
  }

  private Future<WebSocket> connect(String uri, String cookie, String fromOrigin) {
    return connect(uri, cookie, fromOrigin, null);
  }

  private Future<WebSocket> connect(
      String uri, String cookie, String fromOrigin, String requestId) {
    WebSocketConnectOptions options =
        new WebSocketConnectOptions()
            .setHost("127.0.0.1")
            .setPort(wsPort)
            .setURI(uri)
            // Without this the client drops the Origin header; with it and none given, it adds its
            // own.
            .setAllowOriginHeader(fromOrigin != null);
    if (fromOrigin != null) {
      options.addHeader("Origin", fromOrigin);
    }
    if (cookie != null) {
      options.addHeader("Cookie", cookie);
    }
    if (requestId != null) {
      options.addHeader(RequestIds.HEADER, requestId);
    }
    return client.connect(options);
  }

  private Listener join(String room, String cookie) {
    return join(room, cookie, null);
  }

  private Listener join(String room, String cookie, String requestId) {
    return new Listener(connect("/ws/chat?room=" + room, cookie, origin, requestId).await());
  }

  private static int refusal(Future<WebSocket> attempt) {
    try {
      attempt.await();
    } catch (UpgradeRejectedException e) {
      return e.getStatus();
    }
    throw new AssertionError("the handshake was accepted");
  }

  /** A socket and what it received, in order. */
  private static final class Listener {
    final WebSocket socket;
    final BlockingQueue<JsonObject> received = new LinkedBlockingQueue<>();
    final Future<Short> closed;

    Listener(WebSocket socket) {
      this.socket = socket;
      socket.textMessageHandler(text -> received.add(new JsonObject(text)));
      closed = WebSocketClose.status(socket);
    }

    JsonObject next() throws InterruptedException {
      JsonObject message = received.poll(5, TimeUnit.SECONDS);
      assertThat(message).as("a message within 5 s").isNotNull();
      return message;
    }

    short closeCode() throws Exception {
      return closed.await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aSocketsRequestIdGoesWithItsSessionLookup() {
    RequestIds.install(vertx);
    List<String> lookedUpWith = new CopyOnWriteArrayList<>();
    vertx
        .eventBus()
        .addInboundInterceptor(
            delivery -> {
              if (delivery.message().address().equals(Addresses.SESSIONS_GET)) {
                lookedUpWith.add(delivery.message().headers().get(RequestIds.HEADER));
              }
              delivery.next();
            });
    // Two sessions: a second socket of the same one would be admitted from the node's cache.
    join("lobby", loggedIn("alice"), "chat-join-1");
    join("lobby", loggedIn("bob"), null);

    assertThat(lookedUpWith).hasSize(2);
    assertThat(lookedUpWith.get(0)).isEqualTo("chat-join-1");
    assertThat(lookedUpWith.get(1)).isNotNull().isNotEqualTo("chat-join-1");
  }

  @Test
  void withoutASessionTheHandshakeIsRefused() {
    assertThat(refusal(connect("/ws/chat?room=lobby", null, origin))).isEqualTo(401);
    assertThat(
            refusal(
                connect(
                    "/ws/chat?room=lobby", BusSessionStore.COOKIE + "=" + "ab".repeat(32), origin)))
        .isEqualTo(401);
  }

  @Test
  void aForeignOrNoOriginIsRefusedEvenWithASession() {
    String cookie = loggedIn("alice");
    assertThat(refusal(connect("/ws/chat?room=lobby", cookie, "https://evil.example")))
        .isEqualTo(403);
    assertThat(refusal(connect("/ws/chat?room=lobby", cookie, "http://localhost:1")))
        .isEqualTo(403);
    assertThat(refusal(connect("/ws/chat?room=lobby", cookie, null))).isEqualTo(403);
  }

  @Test
  void aBadRoomNameIsRefused() {
    String cookie = loggedIn("alice");
    for (String uri :
        new String[] {
          "/ws/chat",
          "/ws/chat?room=",
          "/ws/chat?room=Lobby",
          "/ws/chat?room=a%20b",
          "/ws/chat?room=" + "x".repeat(33),
          "/ws/chat?room=a&room=b"
        }) {
      assertThat(refusal(connect(uri, cookie, origin))).as(uri).isEqualTo(400);
    }
  }

  @Test
  void aMessageReachesEverySocketInTheRoomOnlyAndCarriesTheSendersLogin() throws Exception {
    String alice = loggedIn("alice");
    Listener aliceInLobby = join("lobby", alice);
    Listener bobInLobby = join("lobby", loggedIn("bob"));
    Listener carolElsewhere = join("kitchen", loggedIn("carol"));

    Instant before = Instant.now();
    aliceInLobby.socket.writeTextMessage("{\"from\":\"mallory\",\"text\":\"hi\"}");

    for (Listener listener : new Listener[] {aliceInLobby, bobInLobby}) {
      JsonObject message = listener.next();
      assertThat(message.getString("room")).isEqualTo("lobby");
      assertThat(message.getString("from")).isEqualTo("alice");
      assertThat(message.getString("text")).isEqualTo("{\"from\":\"mallory\",\"text\":\"hi\"}");
      assertThat(Instant.parse(message.getString("at"))).isAfterOrEqualTo(before.minusSeconds(1));
    }
    // The kitchen's next message is the kitchen's own: nothing from the lobby came first.
    carolElsewhere.socket.writeTextMessage("only here");
    assertThat(carolElsewhere.next().getString("text")).isEqualTo("only here");
    assertThat(bobInLobby.received).isEmpty();
  }

  @Test
  void aRoomHasOneConsumerWhateverItsSocketsAndNoneAfterTheLastLeaves() throws Exception {
    Listener first = join("lobby", loggedIn("alice"));
    Listener second = join("lobby", loggedIn("bob"));
    Listener third = join("kitchen", loggedIn("carol"));
    // The server joins a socket to its room just after the handshake that the client saw.
    third.socket.writeTextMessage("joined");
    third.next();
    assertThat(gauge("starter.chat.rooms")).isEqualTo(2);
    assertThat(gauge("starter.chat.sockets")).isEqualTo(3);

    first.socket.close().await();
    second.socket.close().await();
    awaitConsumers(1);
    assertThatThrownBy(
            () -> vertx.eventBus().request(Addresses.chatRoom("lobby"), new JsonObject()).await())
        .isInstanceOfSatisfying(
            ReplyException.class,
            e -> assertThat(e.failureType()).isEqualTo(ReplyFailure.NO_HANDLERS));
  }

  /** The node's websocket work spread over two event loops, as in production (one per loop). */
  private void onTwoEventLoops() {
    wsPort = Servers.deploy(vertx, WsVerticle::new, 2, config, Setting.WS_PORT).await().port();
  }

  @Test
  void onSeveralEventLoopsAMessageReachesEverySocketOfTheRoom() throws Exception {
    onTwoEventLoops();
    List<Listener> lobby = new ArrayList<>();
    for (String login : List.of("alice", "bob", "carol", "dave")) {
      lobby.add(join("lobby", loggedIn(login)));
    }
    // Connections go to the loops in turn: each loop has the room's sockets, and its own consumer.
    awaitConsumers(2);
    assertThat(gauge("starter.chat.sockets")).isEqualTo(4);

    lobby.get(0).socket.writeTextMessage("to everyone");
    for (Listener listener : lobby) {
      assertThat(listener.next().getString("text")).isEqualTo("to everyone");
    }
  }

  @Test
  void onSeveralEventLoopsASessionsSocketLimitIsTheNodes() {
    onTwoEventLoops();
    String cookie = loggedIn("alice");
    int limit = config.wsSocketsPerSession();
    for (int i = 0; i < limit; i++) {
      join("lobby", cookie);
    }
    assertThat(refusal(connect("/ws/chat?room=lobby", cookie, origin))).isEqualTo(429);
  }

  private void awaitConsumers(int expected) {
    await(expected + " rooms with a consumer")
        .atMost(Duration.ofSeconds(5))
        .until(() -> gauge("starter.chat.rooms") == expected);
  }

  /** A chat gauge of this node, as Prometheus would scrape it. */
  private double gauge(String name) {
    return BackendRegistries.getNow(registry).get(name).gauge().value();
  }

  @Test
  void sendingFasterThanAllowedClosesWith1008() throws Exception {
    Listener alice = join("lobby", loggedIn("alice"));
    for (int i = 0; i <= RATE; i++) {
      alice.socket.writeTextMessage("message " + i);
    }
    assertThat(alice.closeCode()).isEqualTo((short) 1008);
  }

  @Test
  void aMessageOverTheSizeLimitClosesWith1009() throws Exception {
    Listener alice = join("lobby", loggedIn("alice"));
    alice.socket.writeTextMessage("a".repeat(config.wsMaxMessageBytes() + 1));
    assertThat(alice.closeCode()).isEqualTo((short) 1009);
  }

  @Test
  void aClientThatStopsReadingIsDisconnectedWhileOthersKeepReceiving() throws Exception {
    // A small receive window, so that the server feels the stalled reader after megabytes, not
    // tens.
    WebSocketClient stalling =
        vertx.createWebSocketClient(new WebSocketClientOptions().setReceiveBufferSize(4096));
    Listener slow =
        new Listener(
            stalling
                .connect(
                    new WebSocketConnectOptions()
                        .setHost("127.0.0.1")
                        .setPort(wsPort)
                        .setURI("/ws/chat?room=lobby")
                        .addHeader("Origin", origin)
                        .addHeader("Cookie", loggedIn("slow")))
                .await());
    Listener reader = join("lobby", loggedIn("reader"));
    slow.socket.pause();

    // Far more than the kernel's socket buffers hold; several senders, each within its rate.
    String big = "x".repeat(60_000);
    int senders = 40;
    for (int s = 0; s < senders; s++) {
      Listener sender = join("lobby", loggedIn("sender" + s));
      for (int i = 0; i < RATE; i++) {
        sender.socket.writeTextMessage(big);
      }
      for (int i = 0; i < RATE; i++) {
        assertThat(reader.next().getString("text")).hasSize(big.length());
      }
      sender.socket.close();
    }

    slow.socket.resume();
    assertThat(slow.closeCode()).isEqualTo((short) 1008);
    // Vert.x shuts down a client that becomes unreachable, its sockets with it.
    Reference.reachabilityFence(stalling);
    assertThat(slow.socket.closeReason()).isEqualTo("not reading");
    assertThat(slow.received.size()).isLessThan(senders * RATE);
    // The reader goes on receiving after the slow one is gone.
    Listener last = join("lobby", loggedIn("last"));
    last.socket.writeTextMessage("still here");
    assertThat(reader.next().getString("text")).isEqualTo("still here");
  }

  @Test
  void endingTheSessionClosesItsSocketsOnly() throws Exception {
    String aliceCookie = loggedIn("alice");
    Listener alice = join("lobby", aliceCookie);
    Listener bob = join("lobby", loggedIn("bob"));

    sessions.delete(aliceCookie.substring(aliceCookie.indexOf('=') + 1)).await();

    assertThat(alice.closeCode()).isEqualTo((short) 1000);
    assertThat(alice.socket.closeReason()).isEqualTo("session ended");
    bob.socket.writeTextMessage("anyone?");
    assertThat(bob.next().getString("text")).isEqualTo("anyone?");
    assertThat(refusal(connect("/ws/chat?room=lobby", aliceCookie, origin))).isEqualTo(401);
  }

  @Test
  void aSessionThatExpiresHasItsSocketsClosed() throws Exception {
    Listener alice = join("lobby", loggedIn("alice", 1500));
    Listener bob = join("lobby", loggedIn("bob"));

    assertThat(alice.closeCode())
        .as("closed once the sweep finds the session expired")
        .isEqualTo((short) 1000);
    assertThat(alice.socket.closeReason()).isEqualTo("session ended");
    bob.socket.writeTextMessage("still here");
    assertThat(bob.next().getString("text")).isEqualTo("still here");
  }

  @Test
  void chattingKeepsTheSessionAlive() {
    // The touch threshold here is a second: a message after that extends the session.
    Listener alice = join("lobby", loggedIn("alice"));
    AtomicInteger touches = new AtomicInteger();
    vertx
        .eventBus()
        .addOutboundInterceptor(
            delivery -> {
              if (delivery.message().address().equals(Addresses.SESSIONS_TOUCH)) {
                touches.incrementAndGet();
              }
              delivery.next();
            });
    await("a message extends the session")
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(300))
        .until(
            () -> {
              alice.socket.writeTextMessage("still here");
              return touches.get() > 0;
            });
  }

  @Test
  void aSessionHoldsAtMostItsShareOfSocketsSoItsRateCannotBeMultiplied() throws Exception {
    String cookie = loggedIn("alice");
    int limit = config.wsSocketsPerSession();
    List<Listener> open = new ArrayList<>();
    for (int i = 0; i < limit; i++) {
      open.add(join("lobby", cookie));
    }
    assertThat(refusal(connect("/ws/chat?room=lobby", cookie, origin))).isEqualTo(429);
    assertThat(join("lobby", loggedIn("bob"))).as("another session is not affected").isNotNull();

    open.get(0).socket.close().await();
    open.get(0).closed.await(5, TimeUnit.SECONDS);
    await("a place freed by a closed socket")
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                connect("/ws/chat?room=lobby", cookie, origin)
                    .transform(attempt -> Future.succeededFuture(attempt.succeeded()))
                    .await());
  }
}
