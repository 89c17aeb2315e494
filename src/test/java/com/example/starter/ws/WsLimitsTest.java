package com.example.starter.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.starter.RawWebSocket;
import com.example.starter.TestConfig;
import com.example.starter.config.Setting;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A websocket is closed when its peer is gone (it answers nothing, not even pings, however it
 * dribbles bytes) or does not read, and lives for as long as it answers pings.
 */
@ExtendWith(VertxExtension.class)
class WsLimitsTest {

  private static final int IDLE_SECONDS = 2;
  private static final int NOT_READING_SECONDS = 1;
  private static final long MB = 1024 * 1024;

  private Vertx vertx;
  private int port;

  @BeforeEach
  void deploy(Vertx vertx, @TempDir Path dataDir) {
    this.vertx = vertx;
    port =
        TestConfig.deployAlone(
            vertx,
            WsVerticle::new,
            Setting.WS_PORT,
            TestConfig.overrides(dataDir)
                .put(Setting.WS_IDLE_TIMEOUT_SECONDS.name(), IDLE_SECONDS)
                .put(Setting.HTTP_IDLE_TIMEOUT_SECONDS.name(), IDLE_SECONDS)
                .put(Setting.WS_NOT_READING_SECONDS.name(), NOT_READING_SECONDS));
  }

  @Test
  void aSilentSocketIsClosedAsGoingAway() {
    try (RawWebSocket socket = RawWebSocket.open(port, "/ws/echo", Map.of())) {
      assertThat(socket.closeCode(Duration.ofSeconds(IDLE_SECONDS + 2))).isEqualTo(1001);
    }
  }

  @Test
  void aFrameSentAByteAtATimeDoesNotKeepTheSocketOpen() {
    try (RawWebSocket socket = RawWebSocket.open(port, "/ws/echo", Map.of())) {
      // The first bytes of a 100-byte text frame, one every 300 ms: bytes arrive, no frame
      // completes.
      socket.sendRaw(new byte[] {(byte) 0x81, (byte) (0x80 | 100), 1, 2, 3, 4});
      int[] code = new int[1];
      for (int i = 0; i < 30 && code[0] == 0; i++) {
        socket.sendRaw(new byte[] {'a'});
        code[0] = socket.closeCodeIfAny(Duration.ofMillis(300));
      }
      assertThat(code[0]).isEqualTo(1001);
    }
  }

  /** A browser sends no pings: the server's, answered, keep a quiet socket open. */
  @Test
  void aQuietSocketThatAnswersPingsOutlivesTheIdleTimeouts() throws Exception {
    WebSocketClient client = vertx.createWebSocketClient();
    WebSocket socket = client.connect(port, "127.0.0.1", "/ws/echo").await();
    AtomicInteger pings = new AtomicInteger();
    socket.frameHandler(
        frame -> {
          if (frame.type() == WebSocketFrameType.PING) {
            pings.incrementAndGet();
          }
        });
    Promise<String> answer = Promise.promise();
    socket.textMessageHandler(answer::tryComplete);
    // Quiet for three times both timeouts (WS_IDLE_TIMEOUT_SECONDS, HTTP_IDLE_TIMEOUT_SECONDS).
    vertx.timer(IDLE_SECONDS * 3L, TimeUnit.SECONDS).await();
    assertThat(socket.isClosed()).isFalse();
    assertThat(pings.get()).isGreaterThanOrEqualTo(3);
    socket.writeTextMessage("still here");
    assertThat(answer.future().await(5, TimeUnit.SECONDS)).isEqualTo("still here/answer");
  }

  /** Ping-rate limits are for floods: a client library's burst of pings is answered in full. */
  @Test
  void aBurstOfPingsIsAnsweredAndTheSocketStaysOpen() throws Exception {
    WebSocketClient client = vertx.createWebSocketClient();
    WebSocket socket = client.connect(port, "127.0.0.1", "/ws/echo").await();
    Promise<Void> allAnswered = Promise.promise();
    AtomicInteger pongs = new AtomicInteger();
    socket.pongHandler(
        pong -> {
          if (pongs.incrementAndGet() == TextMessages.MAX_PINGS_PER_WINDOW) {
            allAnswered.complete();
          }
        });
    for (int i = 0; i < TextMessages.MAX_PINGS_PER_WINDOW; i++) {
      socket.writePing(Buffer.buffer("ping " + i));
    }
    allAnswered.future().await(5, TimeUnit.SECONDS);
    Promise<String> answer = Promise.promise();
    socket.textMessageHandler(answer::tryComplete);
    socket.writeTextMessage("still here");
    assertThat(answer.future().await(5, TimeUnit.SECONDS)).isEqualTo("still here/answer");
  }

  /**
   * Far more pings than any keep-alive needs (ten times the limit of one window, sent in less than
   * two windows): the socket is closed with 1008, before the flood can back up into TCP, where a
   * peer that reads nothing stalls both directions and looks merely quiet.
   */
  @Test
  void aClientThatPingsFasterThanTheLimitIsClosedWith1008() {
    try (RawWebSocket socket = RawWebSocket.open(port, "/ws/echo", Map.of())) {
      for (int i = 0; i < TextMessages.MAX_PINGS_PER_WINDOW * 10; i++) {
        socket.send(RawWebSocket.PING, new byte[0]);
      }
      assertThat(socket.closeCode(Duration.ofSeconds(5))).isEqualTo(1008);
    }
  }

  /**
   * A client that sends pings and reads nothing: each ping is answered with a pong it will not
   * read, so the server stops reading it and closes it (1008, then the connection, since the close
   * frame cannot get past the pongs) instead of queueing pongs without end.
   */
  @Test
  void aPingFloodFromAClientThatDoesNotReadIsStoppedAndDropped() throws Exception {
    try (RawWebSocket socket = RawWebSocket.open(port, "/ws/echo", Map.of(), 64 * 1024)) {
      byte[] payload = new byte[125];
      long sent =
          CompletableFuture.supplyAsync(() -> socket.flood(RawWebSocket.PING, payload, 512 * MB))
              .get(30, TimeUnit.SECONDS);
      assertThat(sent).as("bytes of pings the server took before dropping it").isLessThan(16 * MB);
    }
  }
}
