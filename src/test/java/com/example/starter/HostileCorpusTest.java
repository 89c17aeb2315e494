package com.example.starter;

import com.example.starter.config.ConfigKeys;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.client.WebClientSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hostile-input corpus ({@code src/test/resources/hostile-corpus.tsv}, one case a line) sent to
 * one running application with every role: each answer is the expected status or close code, never
 * a 5xx, every error with a body is in the JSON error shape, and the process is healthy afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileCorpusTest {

  private static final String CORPUS = "/hostile-corpus.tsv";
  private static final Pattern REPEAT = Pattern.compile("\\{repeat:(\\d+):([^}]*)}");
  private static final Pattern HEX = Pattern.compile("\\\\x([0-9a-fA-F]{2})");

  @TempDir
  static Path dataDir;

  private final Vertx client = Vertx.vertx();
  private Application app;
  private int httpPort;
  private int wsPort;
  private final Map<String, String> macros = new HashMap<>();

  /** One line of the corpus: what kind of exchange, the expected outcome, what is sent. */
  record Case(int line, String kind, int expected, String what, String detail) {
    @Override
    public String toString() {
      return "line " + line + ": " + kind + " " + what + " -> " + expected;
    }
  }

  @BeforeAll
  void start() {
    app = Application.start(TestConfig.overrides(dataDir)).await();
    httpPort = app.config().httpPort();
    wsPort = app.config().json().getInteger(ConfigKeys.WS_PORT);
    WebClientSession browser = WebClientSession.create(WebClient.create(client, new WebClientOptions()
      .setDefaultHost("127.0.0.1").setDefaultPort(httpPort)));
    JsonObject owner = new JsonObject().put("login", "owner").put("password", "correct horse");
    browser.post("/api/accounts").sendJsonObject(owner).await();
    String cookie = browser.post("/api/session").sendJsonObject(owner).await().cookies().get(0);
    macros.put("{cookie}", cookie.substring(0, cookie.indexOf(';')));
    macros.put("{origin}", "http://127.0.0.1:" + httpPort);
  }

  /** After every case, the process still answers as it should; then it stops. */
  @AfterAll
  void healthyThenStop() {
    try {
      RawHttp.Answer ready = RawHttp.exchange(httpPort, "GET /health/ready HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", Duration.ofSeconds(5));
      assertThat(ready.status()).isEqualTo(200);
      RawHttp.Answer hello = RawHttp.exchange(httpPort, "GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", Duration.ofSeconds(5));
      assertThat(hello.body()).isEqualTo("Hello, world");
    } finally {
      app.stop().await();
      client.close().await();
    }
  }

  static List<Case> corpus() {
    List<Case> cases = new ArrayList<>();
    try (InputStream in = HostileCorpusTest.class.getResourceAsStream(CORPUS)) {
      String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
      for (int i = 0; i < lines.length; i++) {
        if (lines[i].isBlank() || lines[i].startsWith("#")) {
          continue;
        }
        String[] fields = lines[i].split("\t", 4);
        cases.add(new Case(i + 1, fields[0], Integer.parseInt(fields[1]), fields[2], fields.length > 3 ? fields[3] : ""));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return cases;
  }

  @Test
  void theCorpusHasAHundredCasesOrMore() {
    assertThat(corpus()).hasSizeGreaterThanOrEqualTo(100);
    assertThat(corpus()).extracting(Case::kind).contains("http", "handshake", "ws");
    // Never a 5xx, but for the one Vert.x core answers before any handler: another HTTP version.
    assertThat(corpus()).filteredOn(hostile -> hostile.expected() >= 500 && hostile.expected() < 1000)
      .extracting(Case::what).containsExactly("GET /hello HTTP/9.9\\r\\nHost: x\\r\\n\\r\\n");
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
    RawHttp.Answer answer = RawHttp.exchange(httpPort, bytes(withLength(expand(hostile.what()))), Duration.ofSeconds(3));
    assertThat(answer.status()).as(hostile + "\n" + answer.text()).isEqualTo(hostile.expected());
    String body = answer.body();
    if (answer.status() >= 400 && !body.isEmpty()) {
      JsonObject error = new JsonObject(body);
      assertThat(error.getString("error")).as(hostile.toString()).isNotBlank();
      assertThat(error.getString("message")).as(hostile.toString()).isNotBlank();
    }
  }

  private void handshake(Case hostile) {
    StringBuilder request = new StringBuilder("GET " + expand(hostile.what()) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    for (String header : expand(hostile.detail()).split("\\|")) {
      if (!header.isBlank()) {
        request.append(header).append("\r\n");
      }
    }
    RawHttp.Answer answer = RawHttp.exchange(wsPort, bytes(request.append("\r\n").toString()), Duration.ofSeconds(3));
    assertThat(answer.status()).as(hostile + "\n" + answer.text()).isEqualTo(hostile.expected());
  }

  /** Frames {@code first-byte:m|u:payload}, space-separated, on a socket opened with the session and origin. */
  private void frames(Case hostile) {
    Map<String, String> headers = Map.of("Origin", macros.get("{origin}"), "Cookie", macros.get("{cookie}"));
    try (RawWebSocket socket = RawWebSocket.open(wsPort, expand(hostile.what()), headers)) {
      for (String frame : hostile.detail().split(" ")) {
        String[] parts = frame.split(":", 3);
        socket.send(Integer.parseInt(parts[0], 16), bytes(expand(parts[2])), parts[1].equals("m"));
      }
      assertThat(socket.closeCode(Duration.ofSeconds(5))).as(hostile.toString()).isEqualTo(hostile.expected());
    }
  }

  private String expand(String text) {
    String expanded = text.replace("\\r", "\r").replace("\\n", "\n").replace("\\t", "\t").replace("\\s", " ");
    for (Map.Entry<String, String> macro : macros.entrySet()) {
      expanded = expanded.replace(macro.getKey(), macro.getValue());
    }
    Matcher repeat = REPEAT.matcher(expanded);
    StringBuilder out = new StringBuilder();
    while (repeat.find()) {
      repeat.appendReplacement(out, Matcher.quoteReplacement(repeat.group(2).repeat(Integer.parseInt(repeat.group(1)))));
    }
    return repeat.appendTail(out).toString();
  }

  /** {@code Content-Length: {len}} becomes the length in bytes of what follows the head. */
  private static String withLength(String request) {
    int head = request.indexOf("\r\n\r\n");
    if (head < 0 || !request.contains("{len}")) {
      return request;
    }
    return request.replace("{len}", Integer.toString(bytes(request.substring(head + 4)).length));
  }

  /** The text's characters as UTF-8, with {@code \xHH} as that one raw byte. */
  private static byte[] bytes(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Matcher hex = HEX.matcher(text);
    int at = 0;
    while (hex.find()) {
      out.writeBytes(text.substring(at, hex.start()).getBytes(StandardCharsets.UTF_8));
      out.write(Integer.parseInt(hex.group(1), 16));
      at = hex.end();
    }
    out.writeBytes(text.substring(at).getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }
}
