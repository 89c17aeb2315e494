package com.example.starter;

import static com.example.starter.RunningApp.deleteAccount;
import static com.example.starter.RunningApp.me;
import static com.example.starter.RunningApp.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.example.starter.bus.Addresses;
import com.example.starter.config.AppConfig;
import com.example.starter.config.Setting;
import com.example.starter.http.HttpVerticle;
import com.example.starter.server.Servers;
import com.example.starter.sessions.BusSessionStore;
import io.netty.handler.codec.http.cookie.ClientCookieDecoder;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.util.ResourceLeakDetector;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.client.WebClientSession;
import java.lang.ref.Reference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Registration, login, sessions and logout through HTTP, with every role in one JVM. */
class AccountsAndSessionsTest {

  private static final JsonObject ALICE =
      new JsonObject().put("login", "alice").put("password", "correct horse");

  @RegisterExtension final RunningApp running = RunningApp.started();

  /**
   * Clients held for the whole test: Vert.x shuts down a client that becomes unreachable, even
   * mid-request.
   */
  private final Map<Integer, WebClient> webByPort = new HashMap<>();

  private WebClient web;
  private Application app;

  @BeforeEach
  void start() {
    web = running.web();
    app = running.app();
  }

  private WebClientSession browser(Application node) {
    return WebClientSession.create(
        webByPort.computeIfAbsent(node.httpPort(), port -> running.webClient(node)));
  }

  private static HttpResponse<Buffer> logout(WebClient browser) {
    return browser
        .delete("/api/session")
        .putHeader("Content-Type", "application/json")
        .send()
        .await();
  }

  /**
   * Puts a {@code Set-Cookie} value into a browser's jar, as an attacker or a load balancer would.
   */
  private static void plant(WebClientSession browser, String setCookie) {
    Cookie cookie = ClientCookieDecoder.STRICT.decode(setCookie);
    cookie.setDomain("127.0.0.1");
    cookie.setPath("/");
    browser.cookieStore().put(cookie);
  }

  private int storedSessions(Application node) {
    return node.vertx()
        .eventBus()
        .<JsonObject>request(Addresses.SESSIONS_SIZE, new JsonObject())
        .await()
        .body()
        .getInteger("size");
  }

  @Test
  void registerLogInSeeWhoIAmAndLogOut() {
    WebClientSession browser = browser(app);
    assertThat(post(browser, "/api/accounts", ALICE).statusCode()).isEqualTo(201);
    assertThat(me(browser)).isEqualTo(401);

    HttpResponse<Buffer> login =
        post(
            browser,
            "/api/session",
            new JsonObject().put("login", "ALICE").put("password", "correct horse"));
    assertThat(login.statusCode()).isEqualTo(200);
    assertThat(login.bodyAsJsonObject()).isEqualTo(new JsonObject().put("login", "alice"));

    HttpResponse<Buffer> me = browser.get("/api/me").send().await();
    assertThat(me.statusCode()).isEqualTo(200);
    assertThat(me.bodyAsJsonObject()).isEqualTo(new JsonObject().put("login", "alice"));

    assertThat(logout(browser).statusCode()).isEqualTo(204);
    assertThat(me(browser)).isEqualTo(401);
  }

  private static HttpResponse<Buffer> send(
      WebClient browser, HttpMethod method, String path, JsonObject body) {
    return browser.request(method, path).sendJsonObject(body).await();
  }

  /** Registers alice, and logs her in on two browsers. */
  private List<WebClientSession> aliceOnTwoBrowsers() {
    assertThat(post(browser(app), "/api/accounts", ALICE).statusCode()).isEqualTo(201);
    List<WebClientSession> browsers = List.of(browser(app), browser(app));
    for (WebClientSession browser : browsers) {
      assertThat(post(browser, "/api/session", ALICE).statusCode()).isEqualTo(200);
      assertThat(me(browser)).isEqualTo(200);
    }
    return browsers;
  }

  @Test
  void changingThePasswordNeedsTheCurrentOneKeepsThisSessionAndEndsTheOthers() {
    List<WebClientSession> browsers = aliceOnTwoBrowsers();
    WebClientSession here = browsers.get(0);
    JsonObject change =
        new JsonObject().put("currentPassword", "correct horse").put("password", "battery staple");

    HttpResponse<Buffer> wrong =
        send(
            here,
            HttpMethod.PUT,
            "/api/me/password",
            change.copy().put("currentPassword", "wrong horse"));
    assertThat(wrong.statusCode()).as(wrong.bodyAsString()).isEqualTo(403);
    assertThat(
            send(here, HttpMethod.PUT, "/api/me/password", change.copy().put("password", "short"))
                .bodyAsJsonObject()
                .getString("message"))
        .contains("8 to 128 characters");
    assertThat(send(browser(app), HttpMethod.PUT, "/api/me/password", change).statusCode())
        .as("not logged in")
        .isEqualTo(401);
    assertThat(me(browsers.get(1))).as("nothing changed yet").isEqualTo(200);

    assertThat(send(here, HttpMethod.PUT, "/api/me/password", change).statusCode()).isEqualTo(204);

    assertThat(me(here)).isEqualTo(200);
    assertThat(me(browsers.get(1))).isEqualTo(401);
    assertThat(post(browser(app), "/api/session", ALICE).statusCode()).isEqualTo(401);
    assertThat(
            post(browser(app), "/api/session", ALICE.copy().put("password", "battery staple"))
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void deletingTheAccountNeedsItsPasswordEndsEverySessionAndFreesTheLogin() {
    List<WebClientSession> browsers = aliceOnTwoBrowsers();
    WebClientSession here = browsers.get(0);

    assertThat(deleteAccount(here, "wrong horse")).isEqualTo(403);
    assertThat(deleteAccount(here, new JsonObject().put("$ne", null))).isEqualTo(400);
    assertThat(me(here)).isEqualTo(200);

    assertThat(deleteAccount(here, "correct horse")).isEqualTo(204);

    for (WebClientSession browser : browsers) {
      assertThat(me(browser)).isEqualTo(401);
    }
    assertThat(post(browser(app), "/api/session", ALICE).statusCode()).isEqualTo(401);
    assertThat(
            post(browser(app), "/api/accounts", ALICE.copy().put("password", "a new owner"))
                .statusCode())
        .isEqualTo(201);
  }

  @Test
  void theSessionCookieIsHttpOnlyLaxWholeSiteAndCarriesAtLeast128RandomBits() {
    post(browser(app), "/api/accounts", ALICE);
    String cookie = RunningApp.sessionCookie(post(browser(app), "/api/session", ALICE));
    assertThat(cookie).matches(Pattern.quote(BusSessionStore.COOKIE) + "=[0-9a-f]{64};.*");
    assertThat(cookie).contains("HTTPOnly", "SameSite=Lax", "Path=/").doesNotContain("Secure");
  }

  @Test
  void theCookieIsSecureWhenConfiguredForProduction() {
    Application production =
        running.start(
            settings ->
                settings
                    .put(Setting.SESSION_COOKIE_SECURE.name(), true)
                    .put(Setting.SESSION_COOKIE_SAMESITE.name(), "Strict"));
    post(browser(production), "/api/accounts", ALICE);
    assertThat(RunningApp.sessionCookie(post(browser(production), "/api/session", ALICE)))
        .contains("Secure", "SameSite=Strict");
    assertThat(
            browser(production).get("/hello").send().await().getHeader("Strict-Transport-Security"))
        .contains("max-age=");
  }

  @Test
  void loggingInGivesANewSessionIdAndKillsAPlantedOne() {
    post(browser(app), "/api/accounts", ALICE);
    post(
        browser(app),
        "/api/accounts",
        new JsonObject().put("login", "mallory").put("password", "evil plans"));
    WebClientSession attacker = browser(app);
    String planted =
        RunningApp.sessionCookie(
            post(
                attacker,
                "/api/session",
                new JsonObject().put("login", "mallory").put("password", "evil plans")));
    String plantedValue = planted.substring(0, planted.indexOf(';'));

    WebClientSession victim = browser(app);
    plant(victim, planted);
    String issued = RunningApp.sessionCookie(post(victim, "/api/session", ALICE));

    assertThat(issued.substring(0, issued.indexOf(';'))).isNotEqualTo(plantedValue);
    assertThat(victim.get("/api/me").send().await().bodyAsJsonObject().getString("login"))
        .isEqualTo("alice");
    assertThat(me(attacker)).isEqualTo(401);
  }

  @Test
  void aSessionWorksOnEveryHttpVerticleAndALogoutOnOneIsRefusedOnAnotherWithin100Ms() {
    // A second http verticle of its own port, one instance, so that the test knows which cache it
    // warms.
    AppConfig secondConfig = app.verticleConfig().withPort(Setting.HTTP_PORT, 0);
    int second =
        Servers.deploy(app.vertx(), HttpVerticle::new, 1, secondConfig, Setting.HTTP_PORT)
            .await()
            .port();
    post(browser(app), "/api/accounts", ALICE);
    WebClientSession onFirst = browser(app);
    String cookie = RunningApp.sessionCookie(post(onFirst, "/api/session", ALICE));
    String cookieValue = cookie.substring(0, cookie.indexOf(';'));

    for (int i = 0; i < 3; i++) {
      assertThat(SessionProbe.me(web, second, cookieValue))
          .as("served from the second verticle's cache")
          .isEqualTo(200);
    }
    assertThat(logout(onFirst).statusCode()).isEqualTo(204);

    long refusedAfter = SessionProbe.millisUntilRefused(web, second, cookieValue);
    assertThat(refusedAfter)
        .as("ms from the logout's answer to the other verticle's refusal")
        .isLessThan(100);
    assertThat(SessionProbe.me(web, app.httpPort(), cookieValue)).isEqualTo(401);
  }

  @Test
  void anonymousTrafficCreatesNoSession() {
    WebClientSession browser = browser(app);
    browser.get("/hello").send().await();
    browser.get("/api/me").send().await();
    post(
        browser,
        "/api/session",
        new JsonObject().put("login", "nobody").put("password", "whatever it is"));
    post(browser, "/api/accounts", new JsonObject().put("login", "x").put("password", "short"));
    logout(browser);
    assertThat(storedSessions(app)).isZero();
    assertThat(browser.cookieStore().get(false, "127.0.0.1", "/")).isEmpty();
  }

  @Test
  void tooManyFailuresAreA429WithRetryAfter() {
    post(browser(app), "/api/accounts", ALICE);
    JsonObject wrong = new JsonObject().put("login", "alice").put("password", "battery staple");
    for (int i = 0; i < app.config().json().getInteger(Setting.LOGIN_MAX_FAILURES.name()); i++) {
      assertThat(post(browser(app), "/api/session", wrong).statusCode()).isEqualTo(401);
    }
    HttpResponse<Buffer> refused = post(browser(app), "/api/session", ALICE);
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.getHeader("Retry-After"))
        .isEqualTo(
            String.valueOf(
                app.config().json().getInteger(Setting.LOGIN_FAILURE_WINDOW_SECONDS.name())));
    assertThat(refused.bodyAsJsonObject().getString("error")).isEqualTo("too_many_requests");
  }

  @Test
  void injectionThroughJsonOperatorsIsA400() {
    post(browser(app), "/api/accounts", ALICE);
    JsonObject anyPassword =
        new JsonObject().put("login", "alice").put("password", new JsonObject().put("$ne", null));
    JsonObject anyLogin =
        new JsonObject()
            .put("login", new JsonObject().put("$gt", ""))
            .put("password", "correct horse");
    for (JsonObject attack : List.of(anyPassword, anyLogin)) {
      HttpResponse<Buffer> response = post(browser(app), "/api/session", attack);
      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(response.cookies()).isEmpty();
    }
    assertThat(post(browser(app), "/api/accounts", anyLogin).statusCode()).isEqualTo(400);
  }

  @Test
  void hashingAtOwaspCostNeverBlocksAnEventLoop() {
    // Debug mode sets Netty's leak detector for the whole JVM: this test puts it back.
    ResourceLeakDetector.Level leakDetection = ResourceLeakDetector.getLevel();
    try (LogCapture checker = LogCapture.of("io.vertx.core.impl.BlockedThreadChecker")) {
      // Several times OWASP's cost, so that one hash takes longer than debug mode's 100 ms limit.
      Application debug =
          running.start(
              settings ->
                  settings
                      .put(Setting.DEBUG.name(), true)
                      .put(Setting.ARGON2_MEMORY_KIB.name(), 19456)
                      .put(Setting.ARGON2_ITERATIONS.name(), 8));
      long start = System.nanoTime();
      assertThat(post(browser(debug), "/api/accounts", ALICE).statusCode()).isEqualTo(201);
      assertThat(post(browser(debug), "/api/session", ALICE).statusCode()).isEqualTo(200);
      assertThat((System.nanoTime() - start) / 1_000_000)
          .as("two hashes take longer than the limit")
          .isGreaterThan(200);

      assertThat(checker.events())
          .noneSatisfy(event -> assertThat(event.getFormattedMessage()).contains("eventloop"));
    } finally {
      ResourceLeakDetector.setLevel(leakDetection);
    }
  }

  @Test
  void aBurstOfRegistrationsIsAnsweredInTimeAndNo503LeavesAnAccount() {
    int busTimeout = 3000;
    Application busy =
        running.start(
            settings ->
                settings
                    .put(Setting.ARGON2_MEMORY_KIB.name(), 19456)
                    .put(Setting.ARGON2_ITERATIONS.name(), 2)
                    .put(Setting.BUS_TIMEOUT_MS.name(), busTimeout));
    // As many connections as requests: the wait measured is the server's, not a client pool's.
    WebClient burst =
        ApiContract.webClient(
            running.client(),
            new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(busy.httpPort()),
            new PoolOptions().setHttp1MaxSize(200));
    List<Future<HttpResponse<Buffer>>> answers = new ArrayList<>();
    List<Long> took = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 200; i++) {
      long sent = System.nanoTime();
      answers.add(
          burst
              .post("/api/accounts")
              .sendJsonObject(
                  new JsonObject().put("login", "burst" + i).put("password", "correct horse"))
              .andThen(done -> took.add(Duration.ofNanos(System.nanoTime() - sent).toMillis())));
    }
    Future.join(answers).otherwiseEmpty().await();

    MongoClient database = TestConfig.database(running.client(), busy.verticleConfig());
    Set<String> stored =
        database.find("accounts", new JsonObject()).await().stream()
            .map(account -> account.getString("login"))
            .collect(Collectors.toSet());
    Set<String> created = new HashSet<>();
    for (int i = 0; i < answers.size(); i++) {
      HttpResponse<Buffer> answer = answers.get(i).result();
      assertThat(answer.statusCode()).as("burst" + i).isIn(201, 503);
      if (answer.statusCode() == 201) {
        created.add("burst" + i);
      } else {
        assertThat(answer.getHeader("Retry-After")).as("burst" + i).isNotBlank();
      }
    }
    assertThat(stored).as("every 201 an account, every 503 none").isEqualTo(created);
    assertThat(created).as("the workers did register some").isNotEmpty();
    // The bus timeout, and room for a busy 2-core machine to write the answer.
    assertThat(took).allSatisfy(millis -> assertThat(millis).isLessThan(busTimeout + 1000L));
    Reference.reachabilityFence(burst);
  }
}
