package com.example.starter.upstreams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.example.starter.ApiContract;
import com.example.starter.TestConfig;
import com.example.starter.bus.Addresses;
import com.example.starter.config.AppConfig;
import com.example.starter.config.Setting;
import com.example.starter.http.HttpVerticle;
import com.example.starter.ops.OpsRoutes;
import com.example.starter.server.Servers;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.lang.ref.Reference;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The upstreams verticle against real stub servers on loopback: fast, slow, failing and absent. */
class UpstreamsVerticleTest {

  /** The slow stub's timeout; the others get more, but answer (or fail) at once. */
  private static final int SLOW_TIMEOUT = 1500;

  private static final int LONGEST_TIMEOUT = 2000;

  @TempDir Path dataDir;

  private Vertx vertx;
  private String registry;
  private int stubPort;
  private final AtomicInteger fastCalls = new AtomicInteger();
  private final AtomicBoolean brokenIsBroken = new AtomicBoolean(true);

  @BeforeEach
  void stubs() {
    registry = TestConfig.registryName();
    vertx = TestConfig.vertxWithMetrics(registry);
    stubPort =
        vertx
            .createHttpServer()
            .requestHandler(
                request -> {
                  switch (request.path()) {
                    case "/fast" -> {
                      fastCalls.incrementAndGet();
                      request.response().end("fast");
                    }
                    // Answers long after any timeout: only a timeout can end the wait.
                    case "/slow" -> vertx.setTimer(5000, t -> request.response().end("late"));
                    case "/broken" ->
                        request.response().setStatusCode(brokenIsBroken.get() ? 500 : 200).end();
                    default -> request.response().setStatusCode(404).end();
                  }
                })
            .listen(0, "127.0.0.1")
            .await()
            .actualPort();
  }

  @AfterEach
  void close() {
    vertx.close().await();
  }

  private JsonObject upstream(String name, String url, int timeoutMs) {
    return new JsonObject().put("name", name).put("url", url).put("timeoutMs", timeoutMs);
  }

  private AppConfig deploy(JsonArray upstreams, int cacheMs) {
    return deploy(upstreams, cacheMs, 0);
  }

  private AppConfig deploy(JsonArray upstreams, int cacheMs, int httpPort) {
    AppConfig config =
        TestConfig.verticleConfig(
            vertx,
            TestConfig.overrides(dataDir)
                .put(Setting.HTTP_PORT.name(), httpPort)
                .put(Setting.UPSTREAMS.name(), upstreams)
                .put(Setting.UPSTREAMS_CACHE_MS.name(), cacheMs)
                .put(Setting.UPSTREAM_MAX_FAILURES.name(), 2)
                .put(Setting.UPSTREAM_RESET_MS.name(), 500),
            registry);
    vertx
        .deployVerticle(new UpstreamsVerticle(), new DeploymentOptions().setConfig(config.json()))
        .await();
    return config;
  }

  private Map<String, JsonObject> fetch() {
    JsonObject reply =
        vertx
            .eventBus()
            .<JsonObject>request(Addresses.UPSTREAMS_FETCH, new JsonObject())
            .await()
            .body();
    return reply.getJsonArray("upstreams").stream()
        .map(JsonObject.class::cast)
        .collect(Collectors.toMap(entry -> entry.getString("name"), entry -> entry));
  }

  private String stub(String path) {
    return "http://127.0.0.1:" + stubPort + path;
  }

  @Test
  void eachUpstreamAnswersForItselfAndTheWholeIsBoundedByTheLargestTimeout() throws IOException {
    try (Socket absent = TestConfig.refusingPort()) {
      deploy(
          new JsonArray()
              .add(upstream("fast", stub("/fast"), LONGEST_TIMEOUT))
              .add(upstream("slow", stub("/slow"), SLOW_TIMEOUT))
              .add(upstream("broken", stub("/broken"), LONGEST_TIMEOUT))
              .add(
                  upstream(
                      "absent",
                      "http://127.0.0.1:" + absent.getLocalPort() + "/",
                      LONGEST_TIMEOUT)),
          0);

      long start = System.nanoTime();
      Map<String, JsonObject> answers = fetch();
      long tookMs = (System.nanoTime() - start) / 1_000_000;

      // Bounded by the largest timeout, plus room for a busy machine; far from the stub's 5 s.
      assertThat(tookMs)
          .isGreaterThanOrEqualTo(SLOW_TIMEOUT - 50)
          .isLessThan(LONGEST_TIMEOUT + 500);
      assertThat(answers.get("fast").getMap())
          .containsEntry("ok", true)
          .containsEntry("status", 200)
          .containsEntry("state", "CLOSED");
      assertThat(answers.get("slow").getMap())
          .containsEntry("ok", false)
          .containsEntry("error", "timeout");
      assertThat(answers.get("slow").getLong("latencyMs")).isLessThan(SLOW_TIMEOUT + 400L);
      assertThat(answers.get("broken").getMap())
          .containsEntry("ok", false)
          .containsEntry("error", "bad_status")
          .containsEntry("status", 500);
      assertThat(answers.get("absent").getMap())
          .containsEntry("ok", false)
          .containsEntry("error", "refused");
    }
  }

  @Test
  void httpPortInAUrlIsThePortThisProcessServesHttpOn() {
    deploy(
        new JsonArray().add(upstream("self", "http://127.0.0.1:{HTTP_PORT}/fast", LONGEST_TIMEOUT)),
        0,
        stubPort);
    assertThat(fetch().get("self").getMap()).containsEntry("ok", true);
    assertThat(fastCalls.get()).isEqualTo(1);
  }

  @Test
  void theBreakerOpensAfterRepeatedFailuresFailsFastAndRecovers() throws Exception {
    deploy(new JsonArray().add(upstream("broken", stub("/broken"), LONGEST_TIMEOUT)), 0);
    assertThat(fetch().get("broken").getMap()).containsEntry("error", "bad_status");
    assertThat(fetch().get("broken").getMap())
        .containsEntry("error", "bad_status")
        .containsEntry("state", "OPEN");

    JsonObject open = fetch().get("broken");
    assertThat(open.getMap()).containsEntry("error", "circuit_open");
    assertThat(open.getLong("latencyMs")).isLessThan(50);
    assertThat(scrape()).contains("starter_upstream_circuit_state{upstream=\"broken\"} 1.0");

    brokenIsBroken.set(false);
    JsonObject answer =
        await("recovered")
            .atMost(Duration.ofSeconds(5))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> fetch().get("broken"), entry -> entry.getBoolean("ok"));
    assertThat(answer.getMap()).containsEntry("state", "CLOSED").containsEntry("status", 200);
    assertThat(scrape()).contains("starter_upstream_circuit_state{upstream=\"broken\"} 0.0");
  }

  @Test
  void aFloodOfRequestsWithinTheCacheTimeCallsTheUpstreamOnce() {
    deploy(new JsonArray().add(upstream("fast", stub("/fast"), LONGEST_TIMEOUT)), 60_000);
    List<Future<Object>> flood =
        IntStream.range(0, 20)
            .mapToObj(
                i ->
                    vertx
                        .eventBus()
                        .request(Addresses.UPSTREAMS_FETCH, new JsonObject())
                        .map(reply -> reply.body()))
            .toList();
    Future.all(flood).await();
    fetch();
    assertThat(fastCalls.get()).isEqualTo(1);
  }

  @Test
  void theHttpRouteAnswersTheNodesView() {
    AppConfig config =
        deploy(new JsonArray().add(upstream("fast", stub("/fast"), LONGEST_TIMEOUT)), 0);
    int port =
        Servers.deploy(vertx, HttpVerticle::new, 1, config, Setting.HTTP_PORT).await().port();
    WebClient web = ApiContract.webClient(vertx);
    HttpResponse<Buffer> response = web.get(port, "127.0.0.1", "/api/upstreams").send().await();
    // Vert.x shuts down a client that becomes unreachable, even mid-request.
    Reference.reachabilityFence(web);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getJsonArray("upstreams").getJsonObject(0).getMap())
        .containsEntry("name", "fast")
        .containsEntry("ok", true);
  }

  /** What Prometheus would scrape from this node's registry. */
  private String scrape() {
    AppConfig config = TestConfig.verticleConfig(vertx, TestConfig.overrides(dataDir), registry);
    Servers.Deployed ops =
        Servers.deploy(
                vertx, () -> new HttpVerticle(OpsRoutes::router), 1, config, Setting.HTTP_PORT)
            .await();
    WebClient web = ApiContract.webClient(vertx);
    try {
      return web.get(ops.port(), "127.0.0.1", "/metrics").send().await().bodyAsString();
    } finally {
      // Vert.x shuts down a client that becomes unreachable, even mid-request.
      Reference.reachabilityFence(web);
      vertx.undeploy(ops.ids().get(0)).await();
    }
  }
}
