package com.example.starter.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.example.starter.JarProcess;
import com.example.starter.TestConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus (Debian's {@code prometheus} package) scraping the fat jar on loopback, with
 * the alert rules of {@code docker/observability} loaded: the target is up, an application metric
 * is stored, every rule evaluates without error, and every dashboard query is accepted and
 * evaluated. What DashboardTest reads from the text, a Prometheus server reads here.
 */
class PrometheusIT {

  private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
  private static final Duration START = Duration.ofSeconds(30);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @TempDir Path dir;

  private int prometheusPort;

  @Test
  void prometheusScrapesTheJarAndEvaluatesTheAlertsAndTheDashboardQueries() throws Exception {
    Assumptions.assumeTrue(
        Files.isExecutable(PROMETHEUS),
        "needs " + PROMETHEUS + ": apt-get install prometheus (.ci/run does)");
    try (JarProcess app =
        JarProcess.start(
            Map.of(
                "HTTP_HOST", "127.0.0.1",
                "HTTP_PORT", "0",
                "WS_HOST", "127.0.0.1",
                "WS_PORT", "0",
                "DATA_DIR", dir.resolve("data").toString()),
            dir.resolve("logs"))) {
      int httpPort = app.httpPort(START);
      String base = "http://127.0.0.1:" + httpPort;
      app.awaitOk(base + "/health/ready", START);
      // A refused login: a security event and an event-bus reply failure to store.
      assertThat(
              JarProcess.post(
                  base + "/api/session", "{\"login\":\"nobody\",\"password\":\"wrong horse\"}"))
          .isEqualTo(401);

      Process prometheus = startPrometheus(httpPort);
      try {
        await("the jar scraped: up == 1 and its requests stored")
            .atMost(START)
            .pollInterval(Duration.ofMillis(250))
            .until(
                () ->
                    value("up{job=\"http\"}") == 1
                        && value("sum(vertx_http_server_requests_total{job=\"http\"})") >= 1
                        && value("sum(starter_security_events_total{outcome=\"401\"})") >= 1);

        await("every alert rule evaluated")
            .atMost(START)
            .pollInterval(Duration.ofMillis(250))
            .until(
                () ->
                    rules().stream()
                        .noneMatch(rule -> rule.getString("lastEvaluation").startsWith("0001")));
        assertThat(rules())
            .hasSizeGreaterThanOrEqualTo(8)
            .allSatisfy(
                rule ->
                    assertThat(rule.getString("health"))
                        .as("%s: %s", rule.getString("name"), rule.getString("lastError"))
                        .isEqualTo("ok"));

        List<String> refused = new ArrayList<>();
        for (DashboardTest.Query query : DashboardTest.dashboardQueries()) {
          String expr =
              query
                  .expr()
                  .replace("$__rate_interval", "1m")
                  .replace("$job", ".*")
                  .replace("$instance", ".*");
          JsonObject answer = query(expr);
          if (!"success".equals(answer.getString("status"))) {
            refused.add(expr + ": " + answer.getString("error"));
          }
        }
        assertThat(refused).as("dashboard queries Prometheus refused").isEmpty();
      } finally {
        prometheus.destroy();
        if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
          prometheus.destroyForcibly().waitFor();
        }
      }
    }
  }

  /** Prometheus on a loopback port, scraping the jar every second, the alert rules loaded. */
  private Process startPrometheus(int httpPort) throws IOException {
    prometheusPort = TestConfig.reservedPort();
    Path rules = Path.of("docker/observability/rules.yml").toAbsolutePath();
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(
        config,
        """
        global:
          scrape_interval: 1s
          evaluation_interval: 1s
        rule_files:
          - %s
        scrape_configs:
          - job_name: http
            static_configs:
              - targets: ["127.0.0.1:%d"]
        """
            .formatted(rules, httpPort));
    return new ProcessBuilder(
            PROMETHEUS.toString(),
            "--config.file=" + config,
            "--storage.tsdb.path=" + dir.resolve("tsdb"),
            "--web.listen-address=127.0.0.1:" + prometheusPort)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("prometheus.log").toFile())
        .start();
  }

  /** The value of an instant query with one result, or -1 (no answer yet, or no result). */
  private double value(String expr) {
    JsonObject answer = query(expr);
    JsonArray result =
        answer.getJsonObject("data", new JsonObject()).getJsonArray("result", new JsonArray());
    return result.size() == 1
        ? Double.parseDouble(result.getJsonObject(0).getJsonArray("value").getString(1))
        : -1;
  }

  private JsonObject query(String expr) {
    return api("/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8));
  }

  /** Every alerting rule Prometheus loaded, with its health and last evaluation. */
  private List<JsonObject> rules() {
    List<JsonObject> rules = new ArrayList<>();
    JsonObject answer = api("/api/v1/rules");
    for (Object group : answer.getJsonObject("data").getJsonArray("groups")) {
      ((JsonObject) group).getJsonArray("rules").forEach(rule -> rules.add((JsonObject) rule));
    }
    return rules;
  }

  /** The answer of Prometheus's HTTP API; {@code {}} while it does not answer yet. */
  private JsonObject api(String path) {
    try {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + prometheusPort + path))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return new JsonObject(response.body());
    } catch (IOException e) {
      return new JsonObject();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new JsonObject();
    }
  }
}
