package com.example.starter.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.starter.ApiContract;
import com.example.starter.RawWebSocket;
import com.example.starter.TestConfig;
import com.example.starter.WebSocketClose;
import com.example.starter.config.AppConfig;
import com.example.starter.config.Setting;
import com.example.starter.server.Servers;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class WsVerticleTest {

  private Vertx vertx;
  private WebSocketClient client;
  private int port;
  private List<String> deployments;
  private int maxMessage;

  @BeforeEach
  void deploy(Vertx vertx, @TempDir Path dataDir) {
    this.vertx = vertx;
    AppConfig config = TestConfig.verticleConfig(vertx, dataDir);
    maxMessage = config.wsMaxMessageBytes();
    Servers.Deployed deployed =
        Servers.deploy(vertx, WsVerticle::new, 1, config, Setting.WS_PORT).await();
    port = deployed.port();
    deployments = deployed.ids();
    client =
        vertx.createWebSocketClient(
            new WebSocketClientOptions()
                .setMaxFrameSize(4 * maxMessage)
                .setMaxMessageSize(4 * maxMessage));
  }

  private WebSocket connect(String path) {
    return client.connect(port, "127.0.0.1", path).await();
  }

  @Test
  void echoAppendsAnswerToEachMessage() throws Exception {
    WebSocket socket = connect("/ws/echo");
    List<String> received = new ArrayList<>();
    Promise<Void> both = Promise.promise();
    socket.textMessageHandler(
        text -> {
          received.add(text);
          if (received.size() == 2) {
            both.complete();
          }
        });
    socket.writeTextMessage("hello");
    socket.writeTextMessage("ça va?");
    both.future().await(5, TimeUnit.SECONDS);
    assertThat(received).containsExactly("hello/answer", "ça va?/answer");
  }

  @Test
  void closeMakesTheServerCloseTheSocket() throws Exception {
    WebSocket socket = connect("/ws/echo");
    Future<Short> closed = WebSocketClose.status(socket);
    socket.writeTextMessage("close");
    assertThat(closed.await(5, TimeUnit.SECONDS)).isEqualTo((short) 1000);
  }

  @Test
  void aSocketOfAServerThatStopsIsClosedWith1001GoingAway() throws Exception {
    WebSocket socket = connect("/ws/echo");
    Future<Short> closed = WebSocketClose.status(socket);
    deployments.forEach(id -> vertx.undeploy(id));
    assertThat(closed.await(10, TimeUnit.SECONDS)).isEqualTo((short) 1001);
  }

  @Test
  void anUnknownPathIsRefusedAtTheHandshake() {
    assertThatThrownBy(() -> connect("/ws/elsewhere"))
        .isInstanceOfSatisfying(
            UpgradeRejectedException.class, e -> assertThat(e.getStatus()).isEqualTo(404));
  }

  @Test
  void aSingleFrameOverTheLimitClosesWith1009() throws Exception {
    WebSocket socket = connect("/ws/echo");
    Future<Short> closed = WebSocketClose.status(socket);
    socket.writeFrame(WebSocketFrame.textFrame("a".repeat(maxMessage + 1), true));
    assertThat(closed.await(5, TimeUnit.SECONDS)).isEqualTo((short) 1009);
  }

  @Test
  void framesAddingUpToMoreThanTheLimitCloseWith1009() throws Exception {
    WebSocket socket = connect("/ws/echo");
    Future<Short> closed = WebSocketClose.status(socket);
    String half = "a".repeat(maxMessage / 2 + 1);
    socket.writeFrame(WebSocketFrame.textFrame(half, false));
    socket.writeFrame(WebSocketFrame.continuationFrame(Buffer.buffer(half), true));
    assertThat(closed.await(5, TimeUnit.SECONDS)).isEqualTo((short) 1009);
  }

  private int closeCodeAfter(int first, byte[] payload, boolean masked) {
    try (RawWebSocket socket = RawWebSocket.open(port, "/ws/echo", Map.of())) {
      socket.send(first, payload, masked);
      return socket.closeCode(Duration.ofSeconds(5));
    }
  }

  @Test
  void protocolErrorsCloseWith1002() {
    byte[] hello = "hello".getBytes(StandardCharsets.UTF_8);
    assertThat(closeCodeAfter(0x80 | 0x3, hello, true)).as("reserved opcode").isEqualTo(1002);
    assertThat(closeCodeAfter(0x80 | RawWebSocket.TEXT, hello, false))
        .as("unmasked")
        .isEqualTo(1002);
    assertThat(closeCodeAfter(0x80 | RawWebSocket.PING, new byte[200], true))
        .as("200-byte ping")
        .isEqualTo(1002);
    assertThat(closeCodeAfter(0x80 | 0x40 | RawWebSocket.TEXT, hello, true))
        .as("reserved bit")
        .isEqualTo(1002);
  }

  @Test
  void aTextMessageThatIsNotUtf8ClosesWith1007AndIsNeverEchoed() {
    try (RawWebSocket socket = RawWebSocket.open(port, "/ws/echo", Map.of())) {
      socket.send(RawWebSocket.TEXT, new byte[] {'a', (byte) 0xc3, (byte) 0x28});
      assertThat(socket.closeCode(Duration.ofSeconds(5))).isEqualTo(1007);
    }
  }

  @Test
  void aBinaryMessageClosesWith1003() {
    assertThat(closeCodeAfter(0x80 | RawWebSocket.BINARY, new byte[] {1, 2, 3}, true))
        .isEqualTo(1003);
  }

  @Test
  void aClientThatSendsPingsWithoutReadingThePongsIsNoLongerRead() {
    WebSocket socket = connect("/ws/echo");
    socket.pause();
    Buffer ping = Buffer.buffer(new byte[125]);
    long limit = 64L * 1024 * 1024;
    long sent = 0;
    // Were every ping read and answered, the server would queue pongs without bound and this
    // client's writes would never back up.
    while (!socket.writeQueueFull() && sent < limit) {
      socket.writePing(ping);
      sent += ping.length();
    }
    assertThat(sent).as("bytes of pings sent before the server stopped reading").isLessThan(limit);
  }

  @Test
  void plainHttpOnTheWebSocketPortIsTold426() {
    WebClient web = ApiContract.webClient(vertx);
    var response = web.get(port, "127.0.0.1", "/ws/echo").send().await();
    // Vert.x shuts down a client that becomes unreachable, even mid-request.
    Reference.reachabilityFence(web);
    assertThat(response.statusCode()).isEqualTo(426);
    assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo("upgrade_required");
  }
}
