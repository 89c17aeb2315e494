package com.example.starter;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.starter.HostileCorpus.Case;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClientSession;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hostile-input corpus ({@code src/test/resources/hostile-corpus.tsv}, one case a line) sent to
 * one running application with every role: each answer is the expected status or close code, never
 * a 5xx, every error with a body is in the JSON error shape, and the process is healthy afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileCorpusTest {

  @RegisterExtension static final RunningApp RUNNING = RunningApp.startedForTheClass();

  private int httpPort;
  private int wsPort;
  private final Map<String, String> macros = new HashMap<>();

  @BeforeAll
  void logIn() {
    httpPort = RUNNING.app().httpPort();
    wsPort = RUNNING.app().wsPort();
    WebClientSession browser = RUNNING.browser();
    JsonObject owner = new JsonObject().put("login", "owner").put("password", "correct horse");
    browser.post("/api/accounts").sendJsonObject(owner).await();
    String cookie = browser.post("/api/session").sendJsonObject(owner).await().cookies().get(0);
    macros.put("{cookie}", cookie.substring(0, cookie.indexOf(';')));
    macros.put("{origin}", "http://127.0.0.1:" + httpPort);
  }

  /** After every case, the process still answers as it should. */
  @AfterAll
  void healthy() {
    RawHttp.Answer ready =
        RawHttp.exchange(
            httpPort,
            "GET /health/ready HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
            Duration.ofSeconds(5));
    assertThat(ready.status()).isEqualTo(200);
    RawHttp.Answer hello =
        RawHttp.exchange(
            httpPort,
            "GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
            Duration.ofSeconds(5));
    assertThat(hello.body()).isEqualTo("Hello, world");
  }

  static List<Case> corpus() {
    return HostileCorpus.cases();
  }

  @Test
  void theCorpusHasAHundredCasesOrMore() {
    assertThat(corpus()).hasSizeGreaterThanOrEqualTo(100);
    assertThat(corpus()).extracting(Case::kind).contains("http", "handshake", "ws");
    // Never a 5xx, but for the one Vert.x core answers before any handler: another HTTP version.
    assertThat(corpus())
        .filteredOn(hostile -> hostile.expected() >= 500 && hostile.expected() < 1000)
        .extracting(Case::what)
        .containsExactly("GET /hello HTTP/9.9\\r\\nHost: x\\r\\n\\r\\n");
  }

  @ParameterizedTest
  @MethodSource("corpus")
  void answersAsExpected(Case hostile) {
    switch (hostile.kind()) {
      case "http" -> http(hostile);
      case "handshake" -> handshake(hostile);
      case "ws" -> frames(hostile);
      default -> throw new AssertionError("unknown kind " + hostile.kind());
    }
  }

  private void http(Case hostile) {
    RawHttp.Answer answer =
        RawHttp.exchange(
            httpPort, HostileCorpus.httpRequest(hostile.what(), macros), Duration.ofSeconds(3));
    assertThat(answer.status()).as(hostile + "\n" + answer.text()).isEqualTo(hostile.expected());
    String body = answer.body();
    if (answer.status() >= 400 && !body.isEmpty()) {
      JsonObject error = new JsonObject(body);
      assertThat(error.getString("error")).as(hostile.toString()).isNotBlank();
      assertThat(error.getString("message")).as(hostile.toString()).isNotBlank();
    }
  }

  private void handshake(Case hostile) {
    StringBuilder request =
        new StringBuilder(
            "GET "
                + HostileCorpus.expand(hostile.what(), macros)
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    for (String header : HostileCorpus.expand(hostile.detail(), macros).split("\\|")) {
      if (!header.isBlank()) {
        request.append(header).append("\r\n");
      }
    }
    RawHttp.Answer answer =
        RawHttp.exchange(
            wsPort, HostileCorpus.bytes(request.append("\r\n").toString()), Duration.ofSeconds(3));
    assertThat(answer.status()).as(hostile + "\n" + answer.text()).isEqualTo(hostile.expected());
  }

  /**
   * Frames {@code first-byte:m|u:payload}, space-separated, on a socket opened with the session and
   * origin.
   */
  private void frames(Case hostile) {
    Map<String, String> headers =
        Map.of("Origin", macros.get("{origin}"), "Cookie", macros.get("{cookie}"));
    try (RawWebSocket socket =
        RawWebSocket.open(wsPort, HostileCorpus.expand(hostile.what(), macros), headers)) {
      for (String frame : hostile.detail().split(" ")) {
        String[] parts = frame.split(":", 3);
        socket.send(
            Integer.parseInt(parts[0], 16),
            HostileCorpus.bytes(HostileCorpus.expand(parts[2], macros)),
            parts[1].equals("m"));
      }
      assertThat(socket.closeCode(Duration.ofSeconds(5)))
          .as(hostile.toString())
          .isEqualTo(hostile.expected());
    }
  }
}
