package com.example.starter.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.starter.RawHttp;
import com.example.starter.TestConfig;
import com.example.starter.config.Setting;
import com.example.starter.http.HttpVerticle;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Clients that send a byte now and then cannot hold a connection: the HTTP port's deadlines. */
@ExtendWith(VertxExtension.class)
class SlowClientsTest {

  /**
   * The deadlines under test: short, so that the test is; the margin covers the once-a-second
   * check.
   */
  private static final int IDLE_SECONDS = 2;

  private static final int BODY_SECONDS = 1;

  private Vertx vertx;
  private int port;

  @BeforeEach
  void deploy(Vertx vertx, @TempDir Path dataDir) {
    this.vertx = vertx;
    port =
        TestConfig.deployAlone(
            vertx,
            HttpVerticle::new,
            Setting.HTTP_PORT,
            TestConfig.overrides(dataDir)
                .put(Setting.HTTP_IDLE_TIMEOUT_SECONDS.name(), IDLE_SECONDS)
                .put(Setting.HTTP_BODY_TIMEOUT_SECONDS.name(), BODY_SECONDS));
  }

  /**
   * Sends {@code bytes} one at a time, {@code pause} apart, until the server closes; answers after
   * how long.
   */
  private Duration trickleUntilClosed(Socket socket, byte[] bytes, Duration pause)
      throws Exception {
    long start = System.nanoTime();
    OutputStream out = socket.getOutputStream();
    InputStream in = socket.getInputStream();
    socket.setSoTimeout((int) pause.toMillis());
    for (byte b : bytes) {
      try {
        out.write(b);
        out.flush();
        if (in.read() < 0) {
          return Duration.ofNanos(System.nanoTime() - start);
        }
      } catch (SocketTimeoutException stillOpen) {
        continue;
      } catch (IOException closed) {
        return Duration.ofNanos(System.nanoTime() - start);
      }
    }
    throw new AssertionError("the connection was still open after all " + bytes.length + " bytes");
  }

  @Test
  void aRequestHeadSentAByteEveryFewHundredMillisecondsIsCutOff() throws Exception {
    byte[] head =
        ("GET /hello HTTP/1.1\r\nHost: x\r\nX-Slow: " + "a".repeat(200) + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    try (Socket socket = new Socket("127.0.0.1", port)) {
      // 200+ bytes 300 ms apart would take a minute; every byte restarts the server's idle timeout.
      assertThat(trickleUntilClosed(socket, head, Duration.ofMillis(300)))
          .isLessThan(Duration.ofSeconds(IDLE_SECONDS + 3));
    }
  }

  @Test
  void aBodyThatNeverArrivesIsA408AndTheConnectionCloses() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout((int) Duration.ofSeconds(BODY_SECONDS + 4).toMillis());
      socket.getOutputStream().write(RawHttp.truncatedRegistration());
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      assertThat(answer).startsWith("HTTP/1.1 408").contains("\"error\":\"request_timeout\"");
    }
  }

  @Test
  void aConnectionThatSendsNoRequestIsClosed() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout((int) Duration.ofSeconds(IDLE_SECONDS + 4).toMillis());
      long start = System.nanoTime();
      assertThat(socket.getInputStream().read()).isEqualTo(-1);
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isLessThan(Duration.ofSeconds(IDLE_SECONDS + 3));
    }
  }
}
