package com.example.starter;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.slf4j.Logger;

/**
 * Fuzzed input on every public door of one running application with every role: JSON bodies, paths
 * and query strings, headers, websocket frames. Whatever comes in, the answer is complete and under
 * 500 (an error with a body in the JSON error shape), a websocket ends in time and never with 1011
 * (the server's "internal error"), and nothing is logged at ERROR.
 *
 * <p>In {@code ./mvnw verify} the build's {@code fuzz} run (surefire, {@code JAZZER_FUZZ=1}) lets
 * Jazzer mutate inputs for {@link #MAX_DURATION}, guided by the coverage of the server's code; the
 * ordinary test run replays the inputs kept in {@code PublicInputsFuzzTestInputs/} (Jazzer writes
 * each finding there; the readable ones also go into {@code hostile-corpus.tsv}).
 */
class PublicInputsFuzzTest {

  static final String MAX_DURATION = "60s";
  private static final Duration ANSWER_WITHIN = Duration.ofSeconds(5);
  private static final Pattern SET_COOKIE = Pattern.compile("(?im)^set-cookie: *([^;\r\n]+)");

  /**
   * Headers that change how a body is framed or whether the connection stays; sent as X-… instead.
   */
  private static final Set<String> FRAMING =
      Set.of("content-length", "transfer-encoding", "connection");

  private static final String[] BODY_PATHS = {
    "/api/accounts",
    "/api/accounts/verification",
    "/api/accounts/verification/resend",
    "/api/password-reset",
    "/api/password-reset/confirm",
    "/api/session",
    "/api/me/password"
  };
  private static final String[] PATHS = {
    "/",
    "/hello",
    "/index.html",
    "/health/live",
    "/health/ready",
    "/metrics",
    "/openapi.yaml",
    "/api/me",
    "/api/me/sessions",
    "/api/greetings",
    "/api/upstreams",
    "/api/session",
    "/api/accounts"
  };
  private static final String[] METHODS = {
    "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT", "get"
  };
  private static final String[] CONTENT_TYPES = {
    "application/json",
    "application/json; charset=utf-8",
    "application/json; charset=latin1",
    "APPLICATION/JSON",
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "application/vnd.api+json"
  };
  private static final String[] KEYS = {
    "login",
    "password",
    "email",
    "token",
    "currentPassword",
    "newPassword",
    "name",
    "$gt",
    "$ne",
    "$where",
    "$regex",
    "_id",
    "__proto__",
    ""
  };
  private static final String[] HEADER_NAMES = {
    "Accept",
    "Accept-Encoding",
    "Accept-Language",
    "Authorization",
    "Content-Type",
    "Cookie",
    "Host",
    "If-None-Match",
    "If-Modified-Since",
    "Origin",
    "Range",
    "Referer",
    "Sec-Fetch-Site",
    "Upgrade",
    "User-Agent",
    "X-Forwarded-For",
    "X-Request-Id",
    "traceparent"
  };
  private static final String[] SOCKET_PATHS = {"/ws/echo", "/ws/chat?room=fuzz"};

  /**
   * Final text, binary, continuation, ping, pong; the rest of the first byte comes from the fuzzer.
   */
  private static final int[] FIRST_BYTES = {0x81, 0x82, 0x80, 0x89, 0x8a, 0x01};

  private Path dataDir;
  private Application app;
  private LogCapture log;
  private SilentCloseable loopbackOnly;
  private String ownerCookie;
  private String chatterCookie;
  private String origin;

  /**
   * Once per fuzzing run, and once per kept input when they are replayed: after Jazzer's agent is
   * in, so that it instruments the server's classes as they load.
   */
  @BeforeEach
  void start() throws IOException {
    dataDir = Files.createTempDirectory("fuzz");
    log = LogCapture.of(Logger.ROOT_LOGGER_NAME);
    app = Application.start(TestConfig.overrides(dataDir)).await();
    origin = "http://127.0.0.1:" + app.httpPort();
    // The HTTP doors may log the owner out (DELETE /api/me/sessions, a login over the session);
    // the chatter's session, for the websockets, is out of their reach.
    ownerCookie = registeredAndLoggedIn("owner", "correct horse");
    chatterCookie = registeredAndLoggedIn("chatter", "an unguessable passphrase");
  }

  @AfterEach
  void stop() throws IOException {
    try {
      assertThat(log.messages(Level.ERROR)).as("ERROR lines").isEmpty();
    } finally {
      log.close();
      app.stop().await();
      if (loopbackOnly != null) {
        loopbackOnly.close();
      }
      try (Stream<Path> files = Files.walk(dataDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }

  @FuzzTest(maxDuration = MAX_DURATION)
  @DictionaryEntries({
    "login",
    "password",
    "$gt",
    "$where",
    "__proto__",
    "%00",
    "%zz",
    "..%2f",
    "\\u0000",
    "\":",
    "?name=",
    "?room=",
    "&",
    "%25",
    "charset=",
    "Cookie",
    "Origin",
    "session=",
    "null",
    "true",
    "1e999",
    "[{",
    "\\ud800"
  })
  void publicInputs(FuzzedDataProvider data) {
    if (loopbackOnly == null) {
      // Jazzer's server-side request forgery check, once fuzzing has begun (until then the build
      // sets JAZZER_SSRF_PERMISSIVE_UNTIL_CONFIGURED): every connection, the server's own
      // included, stays on loopback.
      loopbackOnly = BugDetectors.allowNetworkConnections((host, port) -> isLoopback(host));
    }
    int errorsBefore = log.messages(Level.ERROR).size();
    switch (data.consumeInt(0, 3)) {
      case 0 -> jsonBody(data);
      case 1 -> pathAndQuery(data);
      case 2 -> headers(data);
      default -> websocketFrames(data);
    }
    List<String> errors = log.messages(Level.ERROR);
    assertThat(errors.subList(errorsBefore, errors.size())).as("ERROR lines").isEmpty();
  }

  private void jsonBody(FuzzedDataProvider data) {
    String path = data.pickValue(BODY_PATHS);
    String headers =
        "Content-Type: "
            + data.pickValue(CONTENT_TYPES)
            + "\r\n"
            + (data.consumeBoolean() ? sessionHeaders() : "");
    String body = data.consumeBoolean() ? data.consumeRemainingAsString() : json(data, 3);
    answersBelow500(request("POST", path, headers, body));
  }

  private void pathAndQuery(FuzzedDataProvider data) {
    String method = data.pickValue(METHODS);
    String target = data.pickValue(PATHS) + oneToken(data.consumeString(300));
    String headers = data.consumeBoolean() ? sessionHeaders() : "";
    answersBelow500(request(method, target, headers, ""));
  }

  private void headers(FuzzedDataProvider data) {
    String path = data.pickValue(PATHS);
    StringBuilder headers = new StringBuilder();
    for (int i = data.consumeInt(0, 8); i > 0; i--) {
      String name =
          data.consumeBoolean()
              ? data.pickValue(HEADER_NAMES)
              : data.consumeAsciiString(20).replaceAll("[^!#$%&'*+.^_`|~0-9A-Za-z-]", "");
      if (name.isEmpty() || FRAMING.contains(name.toLowerCase())) {
        name = "X-" + name;
      }
      headers.append(name).append(": ").append(oneLine(data.consumeString(200))).append("\r\n");
    }
    answersBelow500(request("GET", path, headers.toString(), ""));
  }

  private void websocketFrames(FuzzedDataProvider data) {
    String path = data.pickValue(SOCKET_PATHS);
    Map<String, String> headers = Map.of("Origin", origin, "Cookie", chatterCookie);
    StringBuilder sent = new StringBuilder(path);
    try (RawWebSocket socket = RawWebSocket.open(app.wsPort(), path, headers)) {
      try {
        for (int i = data.consumeInt(1, 5); i > 0; i--) {
          int first = data.consumeBoolean() ? data.pickValue(FIRST_BYTES) : data.consumeInt(0, 255);
          boolean masked = data.consumeInt(0, 9) > 0;
          byte[] payload =
              data.consumeInt(0, 9) > 0
                  ? data.consumeBytes(200)
                  : new byte[data.consumeInt(126, 70_000)];
          sent.append(String.format(" %02x:%s:%s", first, masked ? "m" : "u", hex(payload)));
          socket.send(first, payload, masked);
        }
        socket.send(RawWebSocket.CLOSE, new byte[] {0x03, (byte) 0xe8});
      } catch (UncheckedIOException closedByTheServer) {
        // The server gave up on the socket first; what it said when it did is asserted below.
      }
      // -1, the connection's end without a close frame, is allowed: a client that goes on sending
      // after the server's close frame gets a TCP reset, which drops that frame unread.
      assertThat(socket.closeCode(ANSWER_WITHIN))
          .as("close code after " + sent)
          .isNotIn(1006, 1011);
    }
  }

  /** A JSON value of at most {@code depth} levels: any scalar, objects with the API's names. */
  private static String json(FuzzedDataProvider data, int depth) {
    return switch (data.consumeInt(0, depth == 0 ? 5 : 7)) {
      case 0 -> Json.encode(data.consumeString(60));
      case 1 -> Long.toString(data.consumeLong());
      case 2 -> Json.encode(data.consumeDouble());
      case 3 -> Boolean.toString(data.consumeBoolean());
      case 4 -> "null";
      case 5 -> Integer.toString(data.consumeInt());
      case 6 -> {
        StringBuilder object = new StringBuilder("{");
        for (int i = data.consumeInt(0, 4); i > 0; i--) {
          String key = data.consumeBoolean() ? data.pickValue(KEYS) : data.consumeString(20);
          object.append(Json.encode(key)).append(':').append(json(data, depth - 1));
          object.append(i > 1 ? "," : "");
        }
        yield object.append('}').toString();
      }
      default -> {
        StringBuilder array = new StringBuilder("[");
        for (int i = data.consumeInt(0, 4); i > 0; i--) {
          array.append(json(data, depth - 1)).append(i > 1 ? "," : "");
        }
        yield array.append(']').toString();
      }
    };
  }

  /** Short payloads as hex; long ones, all zeros here, by their length. */
  private static String hex(byte[] payload) {
    if (payload.length > 200) {
      return "{" + payload.length + " zeros}";
    }
    StringBuilder hex = new StringBuilder();
    for (byte b : payload) {
      hex.append(String.format("\\x%02x", b));
    }
    return hex.toString();
  }

  /** Text for a request line: no space, CR or LF, which would change where the target ends. */
  private static String oneToken(String text) {
    return text.replace(" ", "%20").replace("\r", "%0D").replace("\n", "%0A");
  }

  private static String oneLine(String text) {
    return text.replace("\r", "").replace("\n", "");
  }

  private String sessionHeaders() {
    return "Cookie: " + ownerCookie + "\r\nOrigin: " + origin + "\r\n";
  }

  private String registeredAndLoggedIn(String login, String password) {
    String credentials = new JsonObject().put("login", login).put("password", password).encode();
    assertThat(post("/api/accounts", credentials).status()).isEqualTo(201);
    RawHttp.Answer session = post("/api/session", credentials);
    Matcher cookie = SET_COOKIE.matcher(session.text());
    assertThat(cookie.find()).as(session.text()).isTrue();
    return cookie.group(1);
  }

  private RawHttp.Answer post(String path, String json) {
    return request("POST", path, "Content-Type: application/json\r\n", json);
  }

  /** One request on its own connection, in UTF-8; the server closes it after its answer. */
  private RawHttp.Answer request(String method, String target, String headers, String body) {
    byte[] content = body.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    request.writeBytes(
        (method
                + " "
                + target
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                + headers
                + (content.length > 0 ? "Content-Length: " + content.length + "\r\n" : "")
                + "\r\n")
            .getBytes(StandardCharsets.UTF_8));
    request.writeBytes(content);
    return RawHttp.exchange(app.httpPort(), request.toByteArray(), ANSWER_WITHIN);
  }

  private void answersBelow500(RawHttp.Answer answer) {
    assertThat(answer.closed()).as("answered and closed in time:\n" + answer.text()).isTrue();
    assertThat(answer.status()).as(answer.text()).isBetween(100, 499);
    String body = answer.body();
    if (answer.status() >= 400 && !body.isEmpty()) {
      JsonObject error = new JsonObject(body);
      assertThat(error.getString("error")).as(body).isNotBlank();
      assertThat(error.getString("message")).as(body).isNotBlank();
    }
  }

  private static boolean isLoopback(String host) {
    return host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1");
  }
}
