package com.example.starter.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.example.starter.RunningApp;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The Grafana dashboards and the Prometheus alerts of {@code docker/observability} against what the
 * application serves: every metric and every label their queries name is in a real {@code
 * /metrics}, scraped from the whole application after the requests that make its labelled series
 * appear. A renamed metric or a label that is not there (such as a route) fails here, not on a
 * dashboard that stays empty. The PromQL syntax itself is promtool's check ({@code
 * docker/observability/check}).
 */
class DashboardTest {

  private static final Path OBSERVABILITY = Path.of("docker/observability");
  private static final Path DASHBOARDS = OBSERVABILITY.resolve("grafana/dashboards");
  private static final Path DATASOURCES = OBSERVABILITY.resolve("grafana/provisioning/datasources");

  /** Series Prometheus makes itself, never in an application's {@code /metrics}. */
  private static final Set<String> SYNTHETIC = Set.of("up", "ALERTS", "ALERTS_FOR_STATE");

  /** Labels Prometheus gives every series of a target. */
  private static final Set<String> TARGET_LABELS = Set.of("job", "instance");

  private static final JsonObject ALICE =
      new JsonObject().put("login", "alice").put("password", "correct horse");

  @RegisterExtension final RunningApp running = RunningApp.perTest();

  @Test
  void everyMetricAndLabelOfTheDashboardsAndAlertsIsServed() throws Exception {
    running.start();
    String metrics = scrapeAfterTraffic();

    List<Query> queries = new ArrayList<>(dashboardQueries());
    queries.addAll(alertQueries());
    assertThat(queries).hasSizeGreaterThan(30);
    Map<String, Set<String>> served = labelsByMetric(metrics);
    Set<String> problems = new LinkedHashSet<>();
    for (Query query : queries) {
      problems.addAll(problems(query, served));
    }
    assertThat(problems).as("what the dashboards and alerts ask and /metrics lacks").isEmpty();
  }

  @Test
  void anInventedMetricOrLabelIsFound() {
    Map<String, Set<String>> served =
        labelsByMetric(
            """
            # TYPE vertx_http_server_requests_total counter
            vertx_http_server_requests_total{code="200",method="GET"} 1.0
            """);
    assertThat(
            problems(
                query(
                    "sum by (code) (rate(vertx_http_server_requests_total{method=\"GET\", job=~\"$job\"}[$__rate_interval]))"),
                served))
        .isEmpty();
    assertThat(problems(query("sum(rate(vertx_http_server_requestz_total[5m])) > 0.5"), served))
        .containsExactly("test: no metric vertx_http_server_requestz_total");
    assertThat(
            problems(query("rate(vertx_http_server_requests_total{route=\"/hello\"}[5m])"), served))
        .containsExactly("test: no label route on vertx_http_server_requests_total");
    assertThat(
            problems(
                query(
                    "histogram_quantile(0.99, sum by (route, le) (rate(vertx_http_server_requests_total[5m])))"),
                served))
        .containsExactly(
            "test: no label route on vertx_http_server_requests_total",
            "test: no label le on vertx_http_server_requests_total");
  }

  private static Query query(String expr) {
    return new Query("test", expr);
  }

  @Test
  void everyDashboardQueriesTheProvisionedDatasource() throws IOException {
    Set<String> provisioned = new HashSet<>();
    for (Path file : files(DATASOURCES, ".yml")) {
      Map<String, Object> config = yaml(file);
      for (Object datasource : (List<?>) config.get("datasources")) {
        provisioned.add((String) ((Map<?, ?>) datasource).get("uid"));
      }
    }
    Set<String> used = new HashSet<>();
    for (Path file : files(DASHBOARDS, ".json")) {
      collect(new JsonObject(Files.readString(file)), "datasource", used::add);
    }
    assertThat(used).isNotEmpty().allSatisfy(uid -> assertThat(provisioned).contains(uid));
  }

  /**
   * Requests that make the labelled series appear: a hello, a refused login (a security event, an
   * event-bus reply failure), a chat socket left open, a GC; then {@code /metrics}.
   */
  private String scrapeAfterTraffic() throws Exception {
    assertThat(get("/hello").statusCode()).isEqualTo(200);
    assertThat(post("/api/accounts", ALICE).statusCode()).isEqualTo(201);
    assertThat(post("/api/session", ALICE.copy().put("password", "wrong horse")).statusCode())
        .isEqualTo(401);
    HttpResponse<Buffer> login = post("/api/session", ALICE);
    assertThat(login.statusCode()).isEqualTo(200);
    String cookie = login.cookies().get(0);

    WebSocket chat =
        running
            .client()
            .createWebSocketClient()
            .connect(
                new WebSocketConnectOptions()
                    .setHost("127.0.0.1")
                    .setPort(running.app().wsPort())
                    .setURI("/ws/chat?room=lobby")
                    .addHeader("Origin", "http://127.0.0.1:" + running.app().httpPort())
                    .addHeader("Cookie", cookie.substring(0, cookie.indexOf(';'))))
            .await();
    Promise<String> echoed = Promise.promise();
    chat.textMessageHandler(echoed::tryComplete);
    chat.writeTextMessage("hello");
    assertThat(echoed.future().await(5, TimeUnit.SECONDS)).contains("hello");

    // GC pauses are reported by a JVM notification, a moment after the collection.
    System.gc();
    await("a GC pause in /metrics")
        .atMost(Duration.ofSeconds(5))
        .until(() -> get("/metrics").bodyAsString().contains("jvm_gc_pause_seconds_count"));
    String metrics = get("/metrics").bodyAsString();
    chat.close().await();
    return metrics;
  }

  private HttpResponse<Buffer> get(String path) {
    return running.get(path);
  }

  private HttpResponse<Buffer> post(String path, JsonObject body) {
    return RunningApp.post(running.web(), path, body);
  }

  /** One query and where it comes from, for the failure message. */
  record Query(String source, String expr) {}

  static List<Query> dashboardQueries() throws IOException {
    List<Query> queries = new ArrayList<>();
    for (Path file : files(DASHBOARDS, ".json")) {
      JsonObject dashboard = new JsonObject(Files.readString(file));
      String name = file.getFileName().toString();
      collect(dashboard, "expr", expr -> queries.add(new Query(name, expr)));
      // Template variables: label_values(SELECTOR, LABEL) asks for LABEL on SELECTOR's series.
      for (Object variable : dashboard.getJsonObject("templating").getJsonArray("list")) {
        Object query = ((JsonObject) variable).getValue("query");
        String text =
            query instanceof JsonObject object ? object.getString("query") : (String) query;
        Matcher labelValues = Pattern.compile("label_values\\((.*),\\s*(\\w+)\\)").matcher(text);
        if (labelValues.matches()) {
          queries.add(
              new Query(
                  name + " variable",
                  "count by (" + labelValues.group(2) + ") (" + labelValues.group(1) + ")"));
        }
      }
    }
    return queries;
  }

  private static List<Query> alertQueries() throws IOException {
    List<Query> queries = new ArrayList<>();
    Map<String, Object> rules = yaml(OBSERVABILITY.resolve("rules.yml"));
    for (Object group : (List<?>) rules.get("groups")) {
      for (Object rule : (List<?>) ((Map<?, ?>) group).get("rules")) {
        Map<?, ?> fields = (Map<?, ?>) rule;
        queries.add(new Query("rules.yml " + fields.get("alert"), (String) fields.get("expr")));
      }
    }
    return queries;
  }

  /** Every string value under {@code key}, or the uid of every object there, at any depth. */
  private static void collect(Object node, String key, Consumer<String> found) {
    if (node instanceof JsonObject object) {
      for (Map.Entry<String, Object> entry : object) {
        if (entry.getKey().equals(key) && entry.getValue() instanceof String text) {
          found.accept(text);
        } else if (entry.getKey().equals(key) && entry.getValue() instanceof JsonObject value) {
          found.accept(value.getString("uid"));
        } else {
          collect(entry.getValue(), key, found);
        }
      }
    } else if (node instanceof JsonArray array) {
      array.forEach(item -> collect(item, key, found));
    }
  }

  private static List<Path> files(Path directory, String suffix) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      List<Path> found = files.filter(file -> file.toString().endsWith(suffix)).sorted().toList();
      assertThat(found).as("%s files in %s", suffix, directory).isNotEmpty();
      return found;
    }
  }

  private static Map<String, Object> yaml(Path file) throws IOException {
    try (Reader reader = Files.newBufferedReader(file)) {
      return new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
    }
  }

  // The parts of PromQL that name labels and metrics; strings, durations and numbers are set aside.
  private static final Pattern STRING =
      Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{?\\w+\\}?");
  private static final Pattern SELECTOR =
      Pattern.compile("(?<![\\w:])([a-zA-Z_:][a-zA-Z0-9_:]*+)?\\s*\\{([^}]*)}");
  private static final Pattern MATCHER =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(?:=~|!~|!=|=)");
  private static final Pattern GROUPING =
      Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\(([^)]*)\\)");
  private static final Pattern RANGE = Pattern.compile("\\[[^\\]]*\\]|\\boffset\\s+-?\\w+");
  private static final Pattern NUMBER =
      Pattern.compile("(?<![\\w:])(?:0x[0-9a-fA-F]+|\\d*\\.?\\d+(?:[eE][+-]?\\d+)?)");
  private static final Pattern IDENTIFIER =
      Pattern.compile("(?<![\\w:])[a-zA-Z_:][a-zA-Z0-9_:]*+(?!\\s*\\()");
  private static final Set<String> KEYWORDS =
      Set.of("and", "or", "unless", "bool", "inf", "nan", "group_left", "group_right");

  /**
   * What {@code query} names that {@code served} lacks: metrics, labels of a selector on its
   * metric, and grouping labels on every metric of the query.
   */
  static Set<String> problems(Query query, Map<String, Set<String>> served) {
    String expr = STRING.matcher(VARIABLE.matcher(query.expr()).replaceAll("")).replaceAll("\"\"");
    Set<String> metrics = new LinkedHashSet<>();
    Map<String, Set<String>> selectorLabels = new HashMap<>();
    Matcher selector = SELECTOR.matcher(expr);
    StringBuilder rest = new StringBuilder();
    while (selector.find()) {
      String metric = selector.group(1) == null ? "" : selector.group(1);
      Matcher matcher = MATCHER.matcher(selector.group(2));
      while (matcher.find()) {
        selectorLabels.computeIfAbsent(metric, m -> new LinkedHashSet<>()).add(matcher.group(1));
      }
      selector.appendReplacement(rest, " " + metric + " ");
    }
    selector.appendTail(rest);
    Set<String> groupingLabels = new LinkedHashSet<>();
    Matcher grouping = GROUPING.matcher(rest);
    while (grouping.find()) {
      for (String label : grouping.group(1).split(",")) {
        if (!label.isBlank()) {
          groupingLabels.add(label.trim());
        }
      }
    }
    String names =
        NUMBER
            .matcher(RANGE.matcher(GROUPING.matcher(rest).replaceAll(" ")).replaceAll(" "))
            .replaceAll(" ");
    Matcher identifier = IDENTIFIER.matcher(names);
    while (identifier.find()) {
      if (!KEYWORDS.contains(identifier.group())) {
        metrics.add(identifier.group());
      }
    }

    Set<String> problems = new LinkedHashSet<>();
    for (String metric : metrics) {
      if (!SYNTHETIC.contains(metric) && !served.containsKey(metric)) {
        problems.add(query.source() + ": no metric " + metric);
      }
    }
    selectorLabels.forEach(
        (metric, labels) -> {
          for (String label : labels) {
            // A missing metric is one problem, not one more per label.
            if (served.containsKey(metric)
                && !TARGET_LABELS.contains(label)
                && !served.get(metric).contains(label)) {
              problems.add(query.source() + ": no label " + label + " on " + metric);
            }
          }
        });
    for (String label : groupingLabels) {
      List<String> found = metrics.stream().filter(served::containsKey).toList();
      if (!TARGET_LABELS.contains(label)
          && !found.isEmpty()
          && found.stream().noneMatch(metric -> served.get(metric).contains(label))) {
        problems.add(query.source() + ": no label " + label + " on " + String.join(", ", found));
      }
    }
    if (metrics.isEmpty()) {
      problems.add(query.source() + ": no metric found in " + query.expr());
    }
    return problems;
  }

  private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{.*})?\\s");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"");

  /** Each metric name of the Prometheus text ({@code _bucket}, {@code _total}…) with its labels. */
  static Map<String, Set<String>> labelsByMetric(String text) {
    Map<String, Set<String>> metrics = new HashMap<>();
    for (String line : text.lines().toList()) {
      Matcher sample = SAMPLE.matcher(line);
      if (line.startsWith("#") || !sample.lookingAt()) {
        continue;
      }
      Set<String> labels = metrics.computeIfAbsent(sample.group(1), name -> new HashSet<>());
      if (sample.group(2) != null) {
        Matcher label = LABEL.matcher(STRING.matcher(sample.group(2)).replaceAll("\"\""));
        while (label.find()) {
          labels.add(label.group(1));
        }
      }
    }
    return metrics;
  }
}
