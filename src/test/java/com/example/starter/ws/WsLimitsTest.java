package com.example.starter.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.starter.RawWebSocket;
import com.example.starter.Servers;
import com.example.starter.TestConfig;
import com.example.starter.config.Setting;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A websocket that completes no frame is closed, however it dribbles bytes. */
class WsLimitsTest {

  private static final int IDLE_SECONDS = 1;

  private Vertx vertx;
  private int port;

  @BeforeEach
  void deploy(@TempDir Path dataDir) {
    vertx = Vertx.vertx();
    JsonObject config =
        TestConfig.verticleConfig(
            vertx,
            TestConfig.overrides(dataDir).put(Setting.WS_IDLE_TIMEOUT_SECONDS.name(), IDLE_SECONDS),
            TestConfig.registryName());
    port = Servers.deploy(vertx, WsVerticle::new, 1, config, Setting.WS_PORT.name()).await().port();
  }

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void aSilentSocketIsClosedAsGoingAway() {
    try (RawWebSocket socket = RawWebSocket.open(port, "/ws/echo", Map.of())) {
      assertThat(socket.closeCode(Duration.ofSeconds(IDLE_SECONDS * 2 + 3))).isEqualTo(1001);
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
}
