package com.example.starter.compose;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.starter.ApiContract;
import com.example.starter.browser.Browsers;
import com.example.starter.browser.DemoPage;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * The compose stack as shipped, built and brought up for real (docker/e2e runs this), used only
 * through the balancer's one address on loopback, while its containers are restarted, killed and
 * brought down and up again. Its figures go to the console and to {@code target/e2e-summary.txt}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ComposeIT {

  private static final Path SUMMARY = Path.of("target", "e2e-summary.txt");
  private static final Path LOGS = Path.of("target", "e2e-logs.txt");
  private static final List<String> ROLES = List.of("accounts", "sessions", "http", "ws");
  private static final String PASSWORD = "correct horse battery";
  private static final Duration BUILD = Duration.ofMinutes(10);
  private static final Duration START = Duration.ofMinutes(3);

  @RegisterExtension final Browsers browsers = new Browsers();

  /** Whether a test failed: then the stack's logs are kept before it goes down. */
  @RegisterExtension
  final TestWatcher failures =
      new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
          failed = true;
        }
      };

  private boolean failed;

  private final int port = Integer.parseInt(envOr("E2E_PORT", "18080"));
  private final Compose compose = new Compose("starter-e2e", port);
  private Vertx vertx;
  private WebClient web;
  private String aliceCookie;
  private String bobCookie;

  private static String envOr(String name, String otherwise) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? otherwise : value;
  }

  @BeforeAll
  void up() throws IOException {
    String whyNot = Compose.whyNot();
    if (whyNot != null && "true".equals(System.getenv("CI"))) {
      throw new AssertionError("CI must run the compose stack, but: " + whyNot);
    }
    Assumptions.assumeTrue(whyNot == null, "skipped: no container engine here (" + whyNot + ")");
    Files.createDirectories(SUMMARY.getParent());
    Files.writeString(SUMMARY, "");
    vertx = Vertx.vertx();
    web =
        ApiContract.webClient(
            vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));

    compose.compose(Duration.ofMinutes(2), "down", "-v", "--remove-orphans");
    Compose.docker(Duration.ofSeconds(30), "rm", "-f", "starter-e2e-start");
    long began = System.nanoTime();
    compose.compose(BUILD, "build");
    report("image: built in %.0f s, %s", seconds(began), imageSize());
    report("image: start to the first /hello %.1f s (dev mode, all roles)", startToHello());

    began = System.nanoTime();
    compose.compose(START, "up", "-d", "--no-build");
    awaitEveryContainerHealthy();
    report("stack: up and every container healthy in %.0f s", seconds(began));
  }

  @AfterAll
  void down() throws IOException {
    if (vertx == null) {
      return;
    }
    try {
      if (failed) {
        keepLogs();
      }
      compose.compose(Duration.ofMinutes(2), "down", "-v", "--remove-orphans");
    } finally {
      vertx.close().await();
    }
  }

  @Test
  @Order(1)
  void everyNodeOfEveryRoleIsInOneCluster() {
    int nodes = ROLES.stream().mapToInt(role -> compose.containers(role).size()).sum();
    assertThat(nodes).isEqualTo(8);
    for (String role : ROLES) {
      for (String container : compose.containers(role)) {
        await(
            container + " in a cluster of " + nodes,
            Duration.ofSeconds(60),
            () -> Compose.logs(container).contains("Members {size:" + nodes));
      }
    }
    report("cluster: all %d nodes in one cluster", nodes);
  }

  @Test
  @Order(2)
  void anAccountRegistersLogsInAndIsServedByBothHttpReplicas() {
    aliceCookie = registerAndLogIn("alice");
    bobCookie = registerAndLogIn("bob");
    Set<String> servedBy = new HashSet<>();
    for (int i = 0; i < 10; i++) {
      HttpResponse<Buffer> me = me(aliceCookie);
      assertThat(me.statusCode()).isEqualTo(200);
      assertThat(me.bodyAsJsonObject().getString("login")).isEqualTo("alice");
      servedBy.add(me.getHeader("X-Served-By"));
    }
    assertThat(servedBy).containsExactlyInAnyOrder("http1", "http2");
    report("api: register, log in and /api/me through the balancer, served by %s", servedBy);
  }

  @Test
  @Order(3)
  void twoPeopleOnDifferentWsReplicasChatBothWays() {
    ChatLoad chat = new ChatLoad(vertx, port, "both-ways");
    ChatLoad.Person alice = chat.join("alice", aliceCookie);
    ChatLoad.Person bob = chat.join("bob", bobCookie);
    assertThat(bob.replica).isNotEqualTo(alice.replica);
    // Subscriptions reach the other node a moment after the sockets open (ChatLoad.SETTLE_MS).
    chat.talk(250);
    await(
        "each to hear the other",
        Duration.ofSeconds(10),
        () -> !alice.heard.isEmpty() && !bob.heard.isEmpty());
    chat.stop();
    assertThat(chat.lost()).isEmpty();
    report("chat: alice on %s and bob on %s hear each other", alice.replica, bob.replica);
  }

  @Test
  @Order(4)
  void aRollingUpdateUnderLoadFailsNoRequestAndTheDemoPageRejoinsByItself() {
    Browsers.assumeInstalled();
    DemoPage carol = page("carol");
    DemoPage dave = page("dave");
    assertThat(carol.join("lobby")).isEqualTo("ok");
    assertThat(dave.join("lobby")).isEqualTo("ok");
    carol.say("before the update");
    dave.waitForMessage("carol", "before the update");

    SteadyLoad load = new SteadyLoad(vertx, web, aliceCookie, 40);
    ChatLoad chat = new ChatLoad(vertx, port, "rolling");
    chat.join("alice", aliceCookie);
    chat.join("bob", bobCookie);
    chat.talk(250);
    long began = System.nanoTime();
    double slowestAdmission = 0;
    for (String role : ROLES) {
      for (String container : compose.containers(role)) {
        Compose.docker(Duration.ofSeconds(60), "restart", "-t", "30", container);
        await(
            container + " healthy again", START, () -> "healthy".equals(Compose.health(container)));
        // The next one goes when the balancer has every front back: Docker's health check may pass
        // before the balancer's two, and restarting the other replica then left none in service.
        long healthy = System.nanoTime();
        awaitEveryFrontInService();
        slowestAdmission = Math.max(slowestAdmission, seconds(healthy));
      }
    }
    double took = seconds(began);
    List<SteadyLoad.Outcome> outcomes = load.stop();
    chat.stop();
    report(
        "rolling update (8 containers, one at a time, %.0f s): %s; %s; every front back in the"
            + " balancer at most %.1f s after Docker reported the restarted container healthy",
        took, SteadyLoad.describe(outcomes), chat.describe(), slowestAdmission);
    assertThat(outcomes).noneMatch(SteadyLoad.Outcome::failed);
    assertThat(chat.closeCodes()).isNotEmpty().allMatch(code -> code == 1001);
    assertThat(chat.lost()).isEmpty();

    // The page came back into the room by itself after its ws replica restarted.
    carol.say("after the update");
    dave.waitForMessage("carol", "after the update");
    assertThat(carol.chatState()).isEqualTo("ok");
  }

  @Test
  @Order(5)
  void aKilledHttpReplicaFailsOnlyWhatWasInFlight() {
    SteadyLoad load = new SteadyLoad(vertx, web, aliceCookie, 40);
    await("a second of load", Duration.ofSeconds(5), () -> load.nowMs() > 1000);
    String victim = compose.containers("http").get(0);
    long killedAt = load.nowMs();
    Compose.docker(Duration.ofSeconds(30), "kill", "-s", "KILL", victim);
    await(
        "five seconds after the kill",
        Duration.ofSeconds(10),
        () -> load.nowMs() > killedAt + 5000);
    List<SteadyLoad.Outcome> outcomes = load.stop();
    List<SteadyLoad.Outcome> failed = outcomes.stream().filter(SteadyLoad.Outcome::failed).toList();
    long inFlight =
        outcomes.stream().filter(o -> o.sentMs() <= killedAt && o.doneMs() >= killedAt).count();
    report(
        "SIGKILL of %s: %s; %d were in flight at the kill; last failed request sent %s ms after it",
        victim,
        SteadyLoad.describe(outcomes),
        inFlight,
        failed.stream().mapToLong(o -> o.sentMs() - killedAt).max().orElse(0));
    // In flight at the kill: sent before it and not yet answered.
    assertThat(failed).allMatch(o -> o.sentMs() <= killedAt);
    // A killed container stays down (Docker's restart policy leaves what `docker kill` stopped).
    Compose.docker(Duration.ofSeconds(30), "start", victim);
    await(victim + " back", START, () -> "healthy".equals(Compose.health(victim)));
  }

  @Test
  @Order(6)
  void withEverySessionsNodeKilledRequestsGetFast503sAndFullServiceSoonAfterTheyReturn() {
    List<String> sessions = compose.containers("sessions");
    for (String container : sessions) {
      Compose.docker(Duration.ofSeconds(30), "kill", "-s", "KILL", container);
    }
    AtomicLong slowest = new AtomicLong();
    AtomicInteger asked = new AtomicInteger();
    // While they are down: quick 503s, from the fronts or, once the balancer has taken the fronts
    // out (their readiness needs sessions), from the balancer, in the API's error shape. Until then
    // a front may still answer 200 from its session cache (SESSION_CACHE_SECONDS, 30 s): five
    // requests in the first 0.4 s once all were.
    await(
        "/api/me refused while every sessions node is down",
        Duration.ofSeconds(45),
        () -> {
          long sent = System.nanoTime();
          HttpResponse<Buffer> me = me(aliceCookie);
          slowest.accumulateAndGet((System.nanoTime() - sent) / 1_000_000, Math::max);
          asked.incrementAndGet();
          if (me.statusCode() != 503) {
            assertThat(me.statusCode()).as("an answer while sessions is down").isEqualTo(200);
            return false;
          }
          assertThat(me.getHeader("Retry-After")).isNotNull();
          assertThat(me.bodyAsJsonObject().getString("error")).isEqualTo("unavailable");
          return true;
        });
    assertThat(slowest.get()).as("ms for the slowest answer while down").isLessThan(4000);

    for (String container : sessions) {
      Compose.docker(Duration.ofSeconds(30), "start", container);
    }
    for (String container : sessions) {
      await(container + " back", START, () -> "healthy".equals(Compose.health(container)));
    }
    long back = System.nanoTime();
    await(
        "alice's session served again",
        Duration.ofSeconds(10),
        () -> me(aliceCookie).statusCode() == 200);
    report(
        "sessions killed: the first 503 for /api/me at request %d, slowest answer %d ms; the same session served again %.1f s after the nodes were healthy",
        asked.get(), slowest.get(), seconds(back));
  }

  @Test
  @Order(7)
  void dataSurvivesDownAndUp() {
    compose.compose(Duration.ofMinutes(2), "down");
    compose.compose(START, "up", "-d", "--no-build");
    awaitEveryContainerHealthy();
    assertThat(me(aliceCookie).bodyAsJsonObject().getString("login")).isEqualTo("alice");
    assertThat(logIn("bob").statusCode()).isEqualTo(200);
    report("down and up: the account and its session are still there");
  }

  private DemoPage page(String person) {
    DemoPage page = new DemoPage(browsers.open(person), "http://localhost:" + port + "/");
    assertThat(page.register(person, PASSWORD)).contains("created");
    page.logIn(person, PASSWORD);
    return page;
  }

  /**
   * Registers and logs in as a client should: a 503 (a cold stack on two busy cores may shed the
   * first hashes) means "not done", so it asks again.
   */
  private String registerAndLogIn(String login) {
    JsonObject credentials = new JsonObject().put("login", login).put("password", PASSWORD);
    await(
        login + " registered",
        Duration.ofSeconds(30),
        () -> answered(web.post("/api/accounts").sendJsonObject(credentials).await(), 201));
    AtomicReference<HttpResponse<Buffer>> session = new AtomicReference<>();
    await(
        login + " logged in",
        Duration.ofSeconds(30),
        () -> answered(session.updateAndGet(previous -> logIn(login)), 200));
    String cookie = session.get().cookies().get(0);
    return cookie.substring(0, cookie.indexOf(';'));
  }

  /**
   * Whether {@code response} has {@code status}; false on a 503, and a failure on anything else.
   */
  private static boolean answered(HttpResponse<Buffer> response, int status) {
    if (response.statusCode() == 503) {
      return false;
    }
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    return true;
  }

  private HttpResponse<Buffer> logIn(String login) {
    return web.post("/api/session")
        .sendJsonObject(new JsonObject().put("login", login).put("password", PASSWORD))
        .await();
  }

  private HttpResponse<Buffer> me(String cookie) {
    return web.get("/api/me").putHeader("Cookie", cookie).timeout(10_000).send().await();
  }

  private void awaitEveryContainerHealthy() {
    for (String service : List.of("mongo", "accounts", "sessions", "http", "ws")) {
      for (String container : compose.containers(service)) {
        await(container + " healthy", START, () -> "healthy".equals(Compose.health(container)));
      }
    }
    awaitEveryFrontInService();
    await(
        "the balancer to answer /health/ready",
        Duration.ofSeconds(30),
        () -> {
          try {
            return web.get("/health/ready").send().await().statusCode() == 200;
          } catch (Exception e) {
            return false;
          }
        });
  }

  private void awaitEveryFrontInService() {
    await(
        "the balancer to have every http and ws replica in service",
        Duration.ofSeconds(60),
        () ->
            Set.of("http", "ws").stream()
                .allMatch(
                    service -> compose.inService(service) == compose.containers(service).size()));
  }

  private String imageSize() {
    long bytes =
        Long.parseLong(
            Compose.docker(
                    Duration.ofSeconds(20),
                    "image",
                    "inspect",
                    "--format",
                    "{{.Size}}",
                    Compose.IMAGE)
                .strip());
    return String.format(Locale.ROOT, "%.0f MB", bytes / 1e6);
  }

  /** One container of the image in dev mode, from {@code docker run} to its first /hello. */
  private double startToHello() {
    String id =
        Compose.docker(
                Duration.ofSeconds(30),
                "run",
                "-d",
                "--name",
                "starter-e2e-start",
                "-p",
                "127.0.0.1::8080",
                Compose.IMAGE)
            .strip();
    long began = System.nanoTime();
    try {
      String published =
          Compose.docker(Duration.ofSeconds(20), "port", id, "8080")
              .lines()
              .findFirst()
              .orElseThrow();
      int hostPort = Integer.parseInt(published.substring(published.lastIndexOf(':') + 1));
      await(
          "the first /hello",
          Duration.ofSeconds(60),
          () -> {
            try {
              return web.get(hostPort, "127.0.0.1", "/hello").send().await().statusCode() == 200;
            } catch (Exception e) {
              return false;
            }
          });
      return seconds(began);
    } finally {
      Compose.docker(Duration.ofSeconds(30), "rm", "-f", id);
    }
  }

  private static double seconds(long sinceNanos) {
    return (System.nanoTime() - sinceNanos) / 1e9;
  }

  private static void await(String what, Duration timeout, BooleanSupplier condition) {
    Awaitility.await(what)
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(250))
        .until(condition::getAsBoolean);
  }

  /**
   * Every container's log to {@link #LOGS}, and their warnings and errors to the console, which is
   * all a CI run shows.
   */
  private void keepLogs() throws IOException {
    String logs = compose.compose(Duration.ofMinutes(1), "logs", "--no-color", "--timestamps");
    Files.writeString(LOGS, logs);
    System.out.println("e2e: the stack's logs are in " + LOGS + "; its warnings and errors:");
    // The balancer's lines are its warnings: replicas going out of and back into service.
    logs.lines()
        .filter(
            line ->
                line.contains("\"level\":\"WARN")
                    || line.contains("\"level\":\"ERROR")
                    || line.contains("_balancer_"))
        .limit(80)
        .forEach(System.out::println);
  }

  private static void report(String format, Object... args) {
    String line = "e2e: " + String.format(Locale.ROOT, format, args);
    System.out.println(line);
    try {
      Files.writeString(SUMMARY, line + "\n", StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
