package com.example.starter.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.example.starter.ApiContract;
import com.example.starter.LogCapture;
import com.example.starter.TestConfig;
import com.example.starter.config.AppConfig;
import com.example.starter.config.Setting;
import com.example.starter.server.Servers;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.lang.ref.Reference;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AccessLogTest {

  @TempDir Path dataDir;

  private Vertx vertx;
  private LogCapture log;

  @BeforeEach
  void capture() {
    vertx = Vertx.vertx();
    log = LogCapture.atLevel(AccessLog.class.getName(), Level.INFO);
  }

  @AfterEach
  void release() {
    log.close();
    vertx.close().await();
  }

  @ParameterizedTest
  @CsvSource({"all, 2", "errors, 1", "off, 0"})
  void logsWhatTheModeAsksForWithTheRequestId(String mode, int expectedLines) {
    AppConfig config =
        TestConfig.verticleConfig(
            vertx,
            TestConfig.overrides(dataDir).put(Setting.ACCESS_LOG.name(), mode),
            TestConfig.registryName());
    int port =
        Servers.deploy(vertx, HttpVerticle::new, 1, config, Setting.HTTP_PORT).await().port();
    WebClient client = ApiContract.webClient(vertx);

    client.get(port, "127.0.0.1", "/hello").putHeader(RequestId.HEADER, "ok-1").send().await();
    client
        .get(port, "127.0.0.1", "/api/nowhere")
        .putHeader(RequestId.HEADER, "missing-2")
        .send()
        .await();
    // Vert.x shuts down a client that becomes unreachable, even mid-request.
    Reference.reachabilityFence(client);
    vertx.close().await();
    vertx = Vertx.vertx();

    List<ILoggingEvent> lines = log.events();
    assertThat(lines).hasSize(expectedLines);
    if (expectedLines > 0) {
      ILoggingEvent failed = lines.get(expectedLines - 1);
      assertThat(failed.getFormattedMessage()).startsWith("missing-2 GET /api/nowhere 404 ");
      assertThat(failed.getLevel()).isEqualTo(Level.WARN);
    }
    if (expectedLines == 2) {
      assertThat(lines.get(0).getFormattedMessage()).startsWith("ok-1 GET /hello 200 ");
    }
  }
}
