package com.example.starter.http;

import static com.example.starter.RunningApp.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.example.starter.ApiContract;
import com.example.starter.LogCapture;
import com.example.starter.RawHttp;
import com.example.starter.TestConfig;
import com.example.starter.bus.Addresses;
import com.example.starter.bus.Failures;
import com.example.starter.config.AppConfig;
import com.example.starter.config.Setting;
import com.example.starter.http.ContractSecurity.Access;
import com.example.starter.ops.RequestIds;
import com.example.starter.server.Servers;
import com.example.starter.sessions.BusSessionStore;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

/** The http verticle alone; test consumers stand in for the accounts and sessions roles. */
class HttpVerticleTest {

  private static final JsonObject ALICE =
      new JsonObject().put("login", "alice").put("password", "long enough");

  private Vertx vertx;
  private WebClient client;
  private AppConfig config;
  private int port;

  @BeforeEach
  void deploy(@TempDir Path dataDir) {
    String registry = TestConfig.registryName();
    vertx = TestConfig.vertxWithMetrics(registry);
    // WS_PORT only names where pages find the websockets: no websocket server here.
    config =
        TestConfig.verticleConfig(
            vertx, TestConfig.overrides(dataDir).put(Setting.WS_PORT.name(), 8081), registry);
    port = Servers.deploy(vertx, HttpVerticle::new, 2, config, Setting.HTTP_PORT).await().port();
    client =
        ApiContract.webClient(
            vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
  }

  @AfterEach
  void close() {
    vertx.close().await();
  }

  private void healthyRoles() {
    vertx
        .eventBus()
        .consumer(
            Addresses.ACCOUNTS_HEALTH,
            message -> message.reply(new JsonObject().put("status", "UP")));
    vertx
        .eventBus()
        .consumer(
            Addresses.SESSIONS_HEALTH,
            message -> message.reply(new JsonObject().put("status", "UP")));
  }

  /** The sessions role answers its health address as it does while its database is down. */
  private void sessionsDatabaseDown() {
    vertx
        .eventBus()
        .consumer(
            Addresses.SESSIONS_HEALTH,
            message -> message.fail(Failures.UNAVAILABLE, "the database does not answer"));
  }

  private static void assertJsonError(HttpResponse<Buffer> response, int status, String error) {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/json");
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getString("error")).isEqualTo(error);
    assertThat(body.getString("message")).isNotBlank();
  }

  @Test
  void helloSaysHelloWorld() {
    HttpResponse<Buffer> response = client.get("/hello").send().await();
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).startsWith("text/plain");
    assertThat(response.bodyAsString()).isEqualTo("Hello, world");
  }

  @Test
  void aRequestIdIsMadeWhenTheCallerGivesNone() {
    String first = client.get("/hello").send().await().getHeader(RequestId.HEADER);
    String second = client.get("/hello").send().await().getHeader(RequestId.HEADER);
    assertThat(first).matches("[0-9a-f]{32}");
    assertThat(second).matches("[0-9a-f]{32}").isNotEqualTo(first);
  }

  @Test
  void theCallersRequestIdIsReturned() {
    HttpResponse<Buffer> response =
        client.get("/hello").putHeader(RequestId.HEADER, "trace-42.a").send().await();
    assertThat(response.getHeader(RequestId.HEADER)).isEqualTo("trace-42.a");
  }

  @Test
  void aRequestIdThatCouldForgeLogLinesIsReplaced() {
    HttpResponse<Buffer> response =
        client.get("/hello").putHeader(RequestId.HEADER, "x y\tz").send().await();
    assertThat(response.getHeader(RequestId.HEADER)).matches("[0-9a-f]{32}");
  }

  /** A test consumer stands in for the greetings role, greeting with what it was sent. */
  private void greetingsRoleAnswers(Function<Message<JsonObject>, String> greeting) {
    vertx
        .eventBus()
        .<JsonObject>consumer(
            Addresses.GREETINGS_GREET,
            message -> message.reply(new JsonObject().put("greeting", greeting.apply(message))));
  }

  @Test
  void aGreetingIsAskedOfTheGreetingsRoleWithTheNameOnly() {
    greetingsRoleAnswers(message -> "asked for " + message.body().encode());
    HttpResponse<Buffer> response = client.get("/api/greetings?name=Ada&admin=true").send().await();
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getString("greeting"))
        .isEqualTo("asked for {\"name\":\"Ada\"}");
  }

  @Test
  void theRequestIdGoesWithTheBusRequestToTheRoleThatAnswers() {
    RequestIds.install(vertx);
    greetingsRoleAnswers(message -> message.headers().get(RequestIds.HEADER));
    HttpResponse<Buffer> given =
        client.get("/api/greetings?name=Ada").putHeader(RequestId.HEADER, "trace-9").send().await();
    assertThat(given.bodyAsJsonObject().getString("greeting")).isEqualTo("trace-9");
    HttpResponse<Buffer> made = client.get("/api/greetings?name=Ada").send().await();
    assertThat(made.bodyAsJsonObject().getString("greeting"))
        .isEqualTo(made.getHeader(RequestId.HEADER))
        .matches("[0-9a-f]{32}");
  }

  @Test
  void aGreetingWithoutANameIsRefusedBeforeTheBus() {
    vertx
        .eventBus()
        .consumer(Addresses.GREETINGS_GREET, message -> message.fail(500, "must not be asked"));
    assertJsonError(client.get("/api/greetings").send().await(), 400, "bad_request");
    assertJsonError(
        client.get("/api/greetings?name=" + "a".repeat(65)).send().await(), 400, "bad_request");
  }

  /** Percent-encoding is undone once: {@code %25} is a name of one per cent sign. */
  @Test
  void aQueryValueIsDecodedOnceBeforeItIsValidated() {
    greetingsRoleAnswers(message -> message.body().getString("name"));
    for (String[] sentAndMeant :
        new String[][] {{"%25", "%"}, {"%2541", "%41"}, {"a%2Bb", "a+b"}, {"a+b", "a b"}}) {
      HttpResponse<Buffer> response =
          client.get("/api/greetings?name=" + sentAndMeant[0]).send().await();
      assertThat(response.statusCode()).as(sentAndMeant[0]).isEqualTo(200);
      assertThat(response.bodyAsJsonObject().getString("greeting")).isEqualTo(sentAndMeant[1]);
    }
    // 66 characters once decoded ("%41" 22 times), 22 if decoded twice: too long for the contract.
    assertJsonError(
        client.get("/api/greetings?name=" + "%2541".repeat(22)).send().await(), 400, "bad_request");
  }

  @Test
  void aSessionThatCannotBeLookedUpIsA503ToRetry() {
    // A sessions node that was killed: the session store's lookup times out inside SessionHandler.
    vertx.eventBus().consumer(Addresses.SESSIONS_GET, message -> {});
    HttpResponse<Buffer> response =
        client
            .get("/api/me")
            .putHeader("Cookie", BusSessionStore.COOKIE + "=" + "a".repeat(64))
            .send()
            .await();
    assertJsonError(response, 503, "unavailable");
    assertThat(response.getHeader("Retry-After")).isEqualTo("1");
  }

  /**
   * A request with nothing to validate (no parameters, no body: logged-in {@code GET /api/me}, the
   * hot path) is served on its event loop: it neither waits for a worker thread nor pays two thread
   * hand-offs, so slow blocking work cannot stall it.
   */
  @Test
  void aRequestWithoutInputIsAnsweredWhileEveryWorkerThreadIsBusy() throws InterruptedException {
    CountDownLatch busy = new CountDownLatch(VertxOptions.DEFAULT_WORKER_POOL_SIZE);
    CountDownLatch release = new CountDownLatch(1);
    for (int i = 0; i < VertxOptions.DEFAULT_WORKER_POOL_SIZE; i++) {
      vertx.executeBlocking(
          () -> {
            busy.countDown();
            return release.await(1, TimeUnit.MINUTES);
          },
          false);
    }
    try {
      assertThat(busy.await(10, TimeUnit.SECONDS)).isTrue();
      HttpResponse<Buffer> response =
          client.get("/api/me").timeout(TimeUnit.SECONDS.toMillis(5)).send().await();
      assertJsonError(response, 401, "unauthorized");
    } finally {
      release.countDown();
    }
  }

  /**
   * Secure by default: the contract's default is the session, and an operation that answers without
   * a login says so itself ({@code security: []}, or the session if there is one).
   */
  @Test
  void anOperationIsOpenWithoutALoginOnlyWhereItSaysSoItself() throws IOException {
    OpenAPIContract contract = OpenAPIContract.from(vertx, HttpRouter.CONTRACT).await();
    Map<String, Object> raw =
        new Yaml().load(Files.readString(Path.of("src/main/resources", HttpRouter.CONTRACT)));
    assertThat(raw.get("security")).isEqualTo(List.of(Map.of(ContractSecurity.SCHEME, List.of())));
    Map<?, ?> paths = (Map<?, ?>) raw.get("paths");
    List<String> open = new ArrayList<>();
    for (Operation operation : contract.operations()) {
      if (Access.of(operation) != Access.LOGIN) {
        Map<?, ?> declared =
            (Map<?, ?>)
                ((Map<?, ?>) paths.get(operation.getOpenAPIPath()))
                    .get(operation.getHttpMethod().name().toLowerCase(Locale.ROOT));
        assertThat(declared.containsKey("security")).as(operation.getOperationId()).isTrue();
        open.add(operation.getOperationId());
      }
    }
    assertThat(open).contains("register", "login", "greet").doesNotContain("me", "deleteAccount");
    assertThat(contract.securityScheme(ContractSecurity.SCHEME).getName())
        .isEqualTo(BusSessionStore.COOKIE);
  }

  /** Before its input is looked at: the body here is not even JSON. */
  @Test
  void everyOperationThatDeclaresALoginAnswers401WithoutOne() {
    OpenAPIContract contract = OpenAPIContract.from(vertx, HttpRouter.CONTRACT).await();
    List<Operation> guarded =
        contract.operations().stream()
            .filter(operation -> Access.of(operation) == Access.LOGIN)
            .toList();
    assertThat(guarded).hasSizeGreaterThanOrEqualTo(5);
    for (Operation operation : guarded) {
      HttpResponse<Buffer> response =
          client
              .request(operation.getHttpMethod(), operation.getOpenAPIPath())
              .putHeader("Content-Type", "application/json")
              .sendBuffer(Buffer.buffer("{not json"))
              .await();
      assertJsonError(response, 401, "unauthorized");
    }
  }

  @Test
  void aGreetingWithoutTheGreetingsRoleIsA503ToRetry() {
    HttpResponse<Buffer> response = client.get("/api/greetings?name=Ada").send().await();
    assertJsonError(response, 503, "unavailable");
    assertThat(response.getHeader("Retry-After")).isEqualTo("1");
  }

  @Test
  void anUnknownApiPathIsAJson404() {
    assertJsonError(client.get("/api/nothing-here").send().await(), 404, "not_found");
  }

  @Test
  void anUnknownApiPathIsA404WhateverTheMethod() {
    assertJsonError(
        client.post("/api/nothing-here").sendJsonObject(new JsonObject()).await(),
        404,
        "not_found");
  }

  @Test
  void theDemoPageIsServed() {
    HttpResponse<Buffer> response = client.get("/").send().await();
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).startsWith("text/html");
    assertThat(
            client.get("/page-config.json").send().await().bodyAsJsonObject().getInteger("wsPort"))
        .isEqualTo(config.wsPort());
  }

  @Test
  void aWrongMethodIsAJson405() {
    assertJsonError(
        client.delete("/hello").putHeader("Content-Type", "application/json").send().await(),
        405,
        "method_not_allowed");
  }

  @Test
  void aStateChangingApiRequestThatIsNotJsonIsA415() {
    assertJsonError(
        client
            .post("/api/accounts")
            .putHeader("Content-Type", "application/x-www-form-urlencoded")
            .sendBuffer(Buffer.buffer("login=a&password=b"))
            .await(),
        415,
        "unsupported_media_type");
    assertJsonError(client.delete("/api/session").send().await(), 415, "unsupported_media_type");
  }

  @Test
  void aBodyOverTheLimitIsAJson413() {
    Buffer big = Buffer.buffer("\"" + "a".repeat(config.httpBodyLimitBytes()) + "\"");
    assertJsonError(
        client
            .post("/api/accounts")
            .putHeader("Content-Type", "application/json")
            .sendBuffer(big)
            .await(),
        413,
        "payload_too_large");
  }

  private RawHttp.Answer raw(String request) {
    return RawHttp.exchange(port, request, Duration.ofSeconds(2));
  }

  private static void assertRawJsonError(RawHttp.Answer answer, int status) {
    assertThat(answer.status()).as(answer.text()).isEqualTo(status);
    assertThat(answer.text()).containsIgnoringCase("content-type: application/json");
    assertThat(new JsonObject(answer.body()).getString("message")).isNotBlank();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/%zz", "/hello%", "/api/me%zz", "/%C3%28%"})
  void aPathWhosePercentEncodingDoesNotDecodeIsA400(String path) {
    RawHttp.Answer answer = raw("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
    assertRawJsonError(answer, 400);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"/api/greetings?name=%", "/api/greetings?name=%zz", "/api/greetings?x=%4&name=A"})
  void aQueryWhosePercentEncodingDoesNotDecodeIsA400(String target) {
    greetingsRoleAnswers(message -> "must not be asked");
    RawHttp.Answer answer = raw("GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n");
    assertRawJsonError(answer, 400);
    assertThat(answer.body()).contains("percent-encoding");
  }

  @Test
  void framingAProxyCouldReadDifferentlyIsRefusedAndTheConnectionClosedSoNothingSmuggledIsServed() {
    String smuggled = "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n";
    for (String framing :
        List.of(
            "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n",
            "Transfer-Encoding: chunked, identity\r\n",
            "Transfer-Encoding: gzip\r\n",
            "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n")) {
      RawHttp.Answer answer =
          raw(
              "POST /api/accounts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  + framing
                  + "\r\n0\r\n\r\n"
                  + smuggled);
      assertRawJsonError(answer, 411);
      assertThat(answer.statuses()).as(framing).containsExactly(411);
      assertThat(answer.closed()).as(framing).isTrue();
    }
    RawHttp.Answer twoHosts = raw("GET /hello HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n" + smuggled);
    assertThat(twoHosts.statuses()).containsExactly(400);
    assertThat(twoHosts.closed()).isTrue();
  }

  @Test
  void requestsNettyCannotParseAreJsonErrorsToo() {
    assertRawJsonError(raw("GET /" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n"), 414);
    assertRawJsonError(
        raw("GET /hello HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(10_000) + "\r\n\r\n"), 431);
    assertRawJsonError(raw("GET /hello HTTP/1.1\r\nHost x\r\n\r\n"), 400);
  }

  @Test
  void unsatisfiableRangesAndUnknownExpectationsAreJsonErrors() {
    assertRawJsonError(
        raw("GET /index.html HTTP/1.1\r\nHost: x\r\nRange: bytes=99999999-\r\n\r\n"), 416);
    assertRawJsonError(
        raw(
            "POST /api/accounts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Expect: the-impossible\r\nContent-Length: 2\r\n\r\n{}"),
        417);
  }

  @Test
  void inventedMethodsAreCountedAsOtherSoTheMetricsCannotBeGrownByClients() {
    for (int i = 0; i < 20; i++) {
      assertThat(
              raw("M" + i + "X /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").status())
          .isBetween(400, 499);
    }
    String metrics = client.get("/metrics").send().await().bodyAsString();
    assertThat(metrics).doesNotContain("method=\"M1X\"").contains("method=\"OTHER\"");
  }

  @Test
  void thePageAndTheApiCarryTheBrowserSecurityHeaders() {
    HttpResponse<Buffer> page = client.get("/").send().await();
    assertThat(page.getHeader("Content-Security-Policy"))
        .contains(
            "default-src 'self';",
            "frame-ancestors 'none'",
            "object-src 'none'",
            "ws://*:" + config.wsPort());
    assertThat(page.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(page.getHeader("X-Frame-Options")).isEqualTo("DENY");
    assertThat(page.getHeader("Referrer-Policy")).isEqualTo("no-referrer");
    assertThat(page.getHeader("Strict-Transport-Security")).as("only behind HTTPS").isNull();
    HttpResponse<Buffer> api = client.get("/api/me").send().await();
    assertThat(api.getHeader("Cache-Control")).isEqualTo("no-store");
    assertThat(api.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
  }

  @Test
  void aBugInARoleIsA500ThatTellsNothingInternalWithTheRequestIdInTheLog() {
    vertx
        .eventBus()
        .<JsonObject>consumer(
            Addresses.ACCOUNTS_REGISTER, message -> message.fail(500, "the service failed"));
    try (LogCapture log = LogCapture.of(ApiErrors.class)) {
      HttpResponse<Buffer> response =
          client
              .post("/api/accounts")
              .putHeader(RequestId.HEADER, "bug-1")
              .sendJsonObject(ALICE)
              .await();
      assertJsonError(response, 500, "internal_error");
      assertThat(log.messages())
          .anySatisfy(line -> assertThat(line).startsWith("bug-1 POST /api/accounts failed"));
    }
  }

  @Test
  void registrationIsPassedToTheAccountsRoleWithOnlyItsTwoFields() throws Exception {
    // What reached the role is checked here, on the test's thread: an assertion in the consumer
    // would fail as a missing reply, that is a 503 after the bus timeout.
    Promise<JsonObject> received = Promise.promise();
    vertx
        .eventBus()
        .<JsonObject>consumer(
            Addresses.ACCOUNTS_REGISTER,
            message -> {
              received.tryComplete(message.body());
              message.reply(new JsonObject().put("login", message.body().getString("login")));
            });
    HttpResponse<Buffer> response =
        client
            .post("/api/accounts")
            .sendJsonObject(
                new JsonObject()
                    .put("login", "alice")
                    .put("password", "long enough")
                    .put("admin", true))
            .await();
    assertThat(received.future().await(5, TimeUnit.SECONDS).fieldNames())
        .containsExactlyInAnyOrder("login", "password");
    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(response.bodyAsJsonObject()).isEqualTo(new JsonObject().put("login", "alice"));
  }

  @Test
  void aFailureCodeFromTheAccountsRoleIsTheStatus() {
    vertx
        .eventBus()
        .consumer(
            Addresses.ACCOUNTS_REGISTER,
            message -> message.fail(Failures.CONFLICT, "login 'alice' is taken"));
    HttpResponse<Buffer> response = post(client, "/api/accounts", ALICE);
    assertJsonError(response, 409, "conflict");
    assertThat(response.bodyAsJsonObject().getString("message"))
        .isEqualTo("login 'alice' is taken");
  }

  @Test
  void withNobodyServingAccountsRegistrationIsA503AtOnce() {
    long start = System.nanoTime();
    HttpResponse<Buffer> response = post(client, "/api/accounts", ALICE);
    assertJsonError(response, 503, "unavailable");
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(config.busTimeoutMs());
  }

  @Test
  void anAccountsRoleThatNeverAnswersIsA503WithinTheBusTimeout() {
    vertx.eventBus().consumer(Addresses.ACCOUNTS_AUTHENTICATE, message -> {});
    long start = System.nanoTime();
    HttpResponse<Buffer> response = post(client, "/api/session", ALICE);
    assertJsonError(response, 503, "unavailable");
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(config.busTimeoutMs() + 1000L);
  }

  @Test
  void aNonStringWhereAStringBelongsNeverReachesTheBus() {
    vertx
        .eventBus()
        .consumer(
            Addresses.ACCOUNTS_AUTHENTICATE,
            message -> message.reply(new JsonObject().put("login", "alice")));
    HttpResponse<Buffer> response =
        client
            .post("/api/session")
            .sendJsonObject(
                new JsonObject()
                    .put("login", new JsonObject().put("$ne", null))
                    .put("password", new JsonObject().put("$ne", null)))
            .await();
    assertJsonError(response, 400, "bad_request");
    assertThat(response.bodyAsJsonObject().getString("message")).contains("Expected string");
  }

  @Test
  void theApiContractIsServed() {
    HttpResponse<Buffer> response = client.get("/openapi.yaml").send().await();
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsString())
        .contains("openapi: 3.1.0", "/api/accounts:", "/api/session:", "/api/me:");
  }

  @Test
  void livenessNeedsNothingElse() {
    HttpResponse<Buffer> response = client.get("/health/live").send().await();
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getString("status")).isEqualTo("UP");
  }

  @Test
  void readyWhenAccountsAndSessionsAnswer() {
    healthyRoles();
    HttpResponse<Buffer> response = client.get("/health/ready").send().await();
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getJsonArray("checks").size()).isEqualTo(2);
  }

  @Test
  void notReadyWhenNobodyServesAccounts() {
    vertx
        .eventBus()
        .consumer(Addresses.SESSIONS_HEALTH, message -> message.reply(new JsonObject()));
    long start = System.nanoTime();
    HttpResponse<Buffer> response = client.get("/health/ready").send().await();
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.bodyAsString()).contains("accounts");
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(config.busTimeoutMs() + 1000L);
  }

  @Test
  void notReadyWhenTheDatabaseBehindARoleIsDown() {
    vertx
        .eventBus()
        .consumer(Addresses.ACCOUNTS_HEALTH, message -> message.reply(new JsonObject()));
    sessionsDatabaseDown();
    assertThat(client.get("/health/ready").send().await().statusCode()).isEqualTo(503);
  }

  @Test
  void eventBusReplyFailuresAreCountedByKindSoATimeoutIsToldFromARefusal() {
    // Nobody serves accounts (no handlers); the sessions role refuses (the recipient's failure).
    sessionsDatabaseDown();
    assertThat(client.get("/health/ready").send().await().statusCode()).isEqualTo(503);

    assertThat(client.get("/metrics").send().await().bodyAsString())
        .contains(
            "vertx_eventbus_reply_failures_total{failure=\"NO_HANDLERS\"}",
            "vertx_eventbus_reply_failures_total{failure=\"RECIPIENT_FAILURE\"}");
  }

  @Test
  void metricsArePrometheusTextAndCountRequests() {
    client.get("/hello").send().await();
    HttpResponse<Buffer> response = client.get("/metrics").send().await();
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).startsWith("text/plain");
    assertThat(response.bodyAsString())
        .contains(
            "vertx_http_server_requests_total",
            // The buckets Prometheus computes latency quantiles from.
            "vertx_http_server_response_time_seconds_bucket{code=\"200\",method=\"GET\",le=\"0.005\"}",
            "vertx_http_server_response_time_seconds_bucket{code=\"200\",method=\"GET\",le=\"+Inf\"}");
  }
}
