package com.example.starter.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.starter.JarProcess;
import com.example.starter.RawHttp;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fat jar split as in the compose file, each process on a host of its own (a network namespace
 * with its own address): one {@code mongo}, one {@code accounts,sessions}, two {@code http,ws}.
 */
class SplitDeploymentIT {

  private static final Duration START = Duration.ofSeconds(60);
  private static final Duration STOP = Duration.ofSeconds(15);
  private static final String ALICE = "{\"login\":\"alice\",\"password\":\"correct horse\"}";

  @TempDir Path dir;

  private NetworkNamespaces hosts;
  private final List<JarProcess> processes = new ArrayList<>();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private String mongoHost;
  private String dataHost;
  private String front1;
  private String front2;
  private String members;
  private GreenMail smtp;
  private OtlpReceiver traces;

  @BeforeEach
  void hosts() throws Exception {
    String whyNot = NetworkNamespaces.whyNot();
    if (whyNot != null && "true".equals(System.getenv("CI"))) {
      throw new AssertionError("CI must run the split-deployment test, but " + whyNot);
    }
    Assumptions.assumeTrue(
        whyNot == null,
        "skipped: network namespaces are not available here ("
            + whyNot
            + "); run as root with iproute2 installed");
    hosts = new NetworkNamespaces();
    mongoHost = hosts.addHost("mongo");
    dataHost = hosts.addHost("data");
    front1 = hosts.addHost("fronts");
    front2 = hosts.addHost("fronts");
    // Members by host name, as in the compose file, one name resolving to both fronts as a scaled
    // compose service's does.
    members = "data:5701,fronts:5701";
    smtp =
        new GreenMail(new ServerSetup(0, hosts.machine(), ServerSetup.PROTOCOL_SMTP).dynamicPort());
    smtp.start();
    traces = new OtlpReceiver(hosts.machine());
  }

  @AfterEach
  void removeHosts() throws Exception {
    for (JarProcess process : processes) {
      process.close();
    }
    if (smtp != null) {
      smtp.stop();
    }
    if (traces != null) {
      traces.close();
    }
    if (hosts != null) {
      hosts.close();
    }
  }

  private JarProcess start(String host, String roles, Map<String, String> extra)
      throws InterruptedException {
    Map<String, String> env =
        new HashMap<>(
            Map.of(
                "ROLES", roles,
                "HTTP_HOST", host,
                "WS_HOST", host,
                "DATA_DIR", dir.resolve(host).toString(),
                "SHUTDOWN_GRACE_SECONDS", "3",
                "MONGO_TIMEOUT_MS", "1500",
                "BUS_TIMEOUT_MS", "2500",
                "ARGON2_MEMORY_KIB", "1024",
                "ARGON2_ITERATIONS", "1"));
    env.putAll(extra);
    JarProcess process = JarProcess.start(hosts.exec(host), env, dir.resolve("logs"));
    processes.add(process);
    process.awaitOk(url(host, "/health/ready"), START);
    return process;
  }

  private JarProcess startClustered(String host, String roles) throws InterruptedException {
    return start(
        host,
        roles,
        Map.ofEntries(
            Map.entry("CLUSTER", "true"),
            Map.entry("CLUSTER_HOST", host),
            Map.entry("CLUSTER_MEMBERS", members),
            // Mail goes out from the accounts role, to the test's SMTP server on this machine.
            Map.entry("MAIL_HOST", hosts.machine()),
            Map.entry("MAIL_PORT", String.valueOf(smtp.getSmtp().getPort())),
            Map.entry("PUBLIC_URL", "http://" + front1 + ":8080"),
            Map.entry("MONGO_URL", "mongodb://mongo:27017"),
            // Traces, to the test's OTLP receiver on this machine, named after the node.
            Map.entry("OTEL_EXPORTER_OTLP_ENDPOINT", traces.endpoint()),
            Map.entry("OTEL_SERVICE_NAME", "starter-" + host),
            Map.entry("OTEL_BSP_SCHEDULE_DELAY", "200")));
  }

  private static String url(String host, String path) {
    return "http://" + host + ":8080" + path;
  }

  private HttpResponse<String> send(
      String host, String method, String path, String body, String cookie) throws Exception {
    return http.send(
        request(host, method, path, body, cookie), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest request(
      String host, String method, String path, String body, String cookie) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url(host, path)))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (cookie != null) {
      request.header("Cookie", cookie);
    }
    return request.build();
  }

  private HttpResponse<String> postWithHeader(
      String host, String path, String body, String header, String value) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url(host, path)))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .header(header, value)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The token of mail number {@code index}, whose link goes to {@code page} on the public URL. */
  private String mailedToken(int index, String page) {
    assertThat(smtp.waitForIncomingEmail(10_000, index + 1)).isTrue();
    String body = GreenMailUtil.getBody(smtp.getReceivedMessages()[index]);
    Matcher link =
        Pattern.compile(
                Pattern.quote("http://" + front1 + ":8080" + page + "?token=")
                    + "([A-Za-z0-9_-]{43})")
            .matcher(body);
    assertThat(link.find()).as(body).isTrue();
    return link.group(1);
  }

  private static String sessionCookie(HttpResponse<String> login) {
    assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
    return login.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
  }

  private int me(String host, String cookie) {
    try {
      return send(host, "GET", "/api/me", null, cookie).statusCode();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void await(String what, Duration timeout, BooleanSupplier condition) {
    Awaitility.await(what)
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(200))
        .until(condition::getAsBoolean);
  }

  @Test
  void theContractHoldsThroughEitherFrontAndSurvivesNodesGoing() throws Exception {
    start(
        mongoHost,
        "mongo",
        Map.of("EMBEDDED_MONGO_HOST", mongoHost, "EMBEDDED_MONGO_PORT", "27017"));
    JarProcess data = startClustered(dataHost, "accounts,sessions");
    JarProcess first = startClustered(front1, "http,ws");
    JarProcess second = startClustered(front2, "http,ws");

    // Register through one front, log in through the other, ask who we are through the first.
    assertThat(send(front1, "POST", "/api/accounts", ALICE, null).statusCode()).isEqualTo(201);
    HttpResponse<String> login = send(front2, "POST", "/api/session", ALICE, null);
    assertThat(login.statusCode()).isEqualTo(200);
    String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
    assertThat(send(front1, "GET", "/api/me", null, cookie).body()).contains("alice");

    // Thirty registrations of one login at once through both fronts: one account, and 29 told it
    // is taken (the accounts node hashes one of them; the others wait for it).
    String dave = "{\"login\":\"dave\",\"password\":\"correct horse\"}";
    Map<Integer, Long> burst =
        IntStream.range(0, 30)
            .mapToObj(
                i ->
                    http.sendAsync(
                        request(i % 2 == 0 ? front1 : front2, "POST", "/api/accounts", dave, null),
                        HttpResponse.BodyHandlers.ofString()))
            // All sent before the first is waited for.
            .toList()
            .stream()
            .map(CompletableFuture::join)
            .collect(Collectors.groupingBy(HttpResponse::statusCode, Collectors.counting()));
    assertThat(burst).isEqualTo(Map.of(201, 1L, 409, 29L));

    // The rest of an account's life across the split: a password changed through one front ends the
    // session held through the other; logging out everywhere and deleting work through either.
    String bob = "{\"login\":\"bob\",\"password\":\"correct horse\"}";
    String bobNow = "{\"login\":\"bob\",\"password\":\"battery staple\"}";
    assertThat(send(front1, "POST", "/api/accounts", bob, null).statusCode()).isEqualTo(201);
    String bobOnFirst = sessionCookie(send(front1, "POST", "/api/session", bob, null));
    String bobOnSecond = sessionCookie(send(front2, "POST", "/api/session", bob, null));
    assertThat(
            send(
                    front1,
                    "PUT",
                    "/api/me/password",
                    "{\"currentPassword\":\"correct horse\",\"password\":\"battery staple\"}",
                    bobOnFirst)
                .statusCode())
        .isEqualTo(204);
    await(
        "the other session refused through the other front",
        Duration.ofSeconds(5),
        () -> me(front2, bobOnSecond) == 401);
    String bobAgain = sessionCookie(send(front2, "POST", "/api/session", bobNow, null));
    assertThat(send(front2, "DELETE", "/api/me/sessions", null, bobAgain).statusCode())
        .isEqualTo(204);
    await(
        "every session of bob refused", Duration.ofSeconds(5), () -> me(front1, bobOnFirst) == 401);
    String bobLast = sessionCookie(send(front1, "POST", "/api/session", bobNow, null));
    assertThat(
            send(front1, "DELETE", "/api/me", "{\"password\":\"battery staple\"}", bobLast)
                .statusCode())
        .isEqualTo(204);
    assertThat(send(front2, "POST", "/api/session", bobNow, null).statusCode()).isEqualTo(401);

    // Mail across the split: the accounts role sends it, its links work through either front.
    String carol =
        "{\"login\":\"carol\",\"password\":\"correct horse\",\"email\":\"carol@example.com\"}";
    assertThat(send(front2, "POST", "/api/accounts", carol, null).statusCode()).isEqualTo(201);
    assertThat(
            send(
                    front1,
                    "POST",
                    "/api/accounts/verification",
                    "{\"token\":\"" + mailedToken(0, "/verify") + "\"}",
                    null)
                .statusCode())
        .isEqualTo(204);
    String carolOnSecond = sessionCookie(send(front2, "POST", "/api/session", carol, null));
    assertThat(send(front1, "GET", "/api/me", null, carolOnSecond).body())
        .contains("\"verified\":true");
    assertThat(
            send(front1, "POST", "/api/password-reset", "{\"email\":\"carol@example.com\"}", null)
                .statusCode())
        .isEqualTo(202);
    assertThat(
            send(
                    front2,
                    "POST",
                    "/api/password-reset/confirm",
                    "{\"token\":\""
                        + mailedToken(1, "/reset")
                        + "\",\"password\":\"battery staple\"}",
                    null)
                .statusCode())
        .isEqualTo(204);
    await(
        "carol's session refused through both fronts",
        Duration.ofSeconds(5),
        () -> me(front1, carolOnSecond) == 401 && me(front2, carolOnSecond) == 401);

    // One request, one id, on both nodes: the front's access log and the accounts role's event.
    HttpResponse<String> failed =
        postWithHeader(
            front2,
            "/api/session",
            "{\"login\":\"carol\",\"password\":\"wrong horse\"}",
            "X-Request-Id",
            "split-failed-login-1");
    assertThat(failed.statusCode()).isEqualTo(401);
    await(
        "the failed login's id in the logs of the front and of the accounts node",
        Duration.ofSeconds(5),
        () ->
            second.output().contains("split-failed-login-1 POST /api/session 401")
                && data.output().contains("login: refused 401")
                && data.output()
                    .lines()
                    .anyMatch(
                        line ->
                            line.contains("[split-failed-login-1]")
                                && line.contains("login: refused 401")));
    assertThat(data.output()).doesNotContain("wrong horse");

    // One login, one trace: started by the caller, with spans from the front and the data node,
    // down to its database calls, and its id in the data node's log lines.
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    HttpResponse<String> traced =
        postWithHeader(
            front1, "/api/session", ALICE, "traceparent", "00-" + traceId + "-00f067aa0ba902b7-01");
    assertThat(traced.statusCode()).isEqualTo(200);
    await(
        "the login's spans from both processes at the OTLP receiver",
        Duration.ofSeconds(10),
        () ->
            traces.trace(traceId).stream().anyMatch(span -> span.service().endsWith(front1))
                && traces.trace(traceId).stream()
                    .anyMatch(
                        span ->
                            span.service().endsWith(dataHost)
                                && "mongodb".equals(span.attributes().get("db.system"))));
    assertThat(data.output()).contains("trace " + traceId + " - login: done, login alice");

    // kill -9 one front: the other keeps serving, and the cluster notices within seconds.
    first.kill();
    assertThat(send(front2, "GET", "/api/me", null, cookie).statusCode()).isEqualTo(200);
    await(
        "the data node sees the cluster shrink",
        Duration.ofSeconds(20),
        () -> data.output().contains("Members {size:2"));

    // Stop the data roles: requests that need them answer 503 quickly; and succeed once they are
    // back.
    data.terminate();
    assertThat(data.awaitExit(STOP)).isEqualTo(143);
    long start = System.nanoTime();
    assertThat(send(front2, "POST", "/api/session", ALICE, null).statusCode()).isEqualTo(503);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(JarProcess.status(url(front2, "/health/ready"))).isEqualTo(503);

    startClustered(dataHost, "accounts,sessions");
    await(
        "the front is ready again",
        Duration.ofSeconds(30),
        () -> JarProcess.status(url(front2, "/health/ready")) == 200);
    assertThat(send(front2, "GET", "/api/me", null, cookie).statusCode()).isEqualTo(200);
    assertThat(send(front2, "POST", "/api/session", ALICE, null).statusCode()).isEqualTo(200);

    // SIGTERM a front with a request in flight: it is answered, then the node leaves.
    try (Socket socket = new Socket(front2, 8080)) {
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      // In flight, in a handler, when the stop begins.
      RawHttp.startInFlight(socket, front2, "/api/session", ALICE.length());
      second.terminate();
      await("the front stops accepting connections", STOP, () -> refused(front2));
      out.write(ALICE.getBytes(StandardCharsets.UTF_8));
      out.flush();
      assertThat(new String(in.readNBytes(12), StandardCharsets.UTF_8)).isEqualTo("HTTP/1.1 200");
    }
    assertThat(second.awaitExit(STOP)).isEqualTo(143);
  }

  private static boolean refused(String host) {
    try (Socket probe = new Socket(host, 8080)) {
      return false;
    } catch (ConnectException e) {
      return true;
    } catch (java.io.IOException e) {
      return true;
    }
  }
}
