package com.example.starter;

import com.example.starter.config.AppConfig;
import com.example.starter.config.ConfigLoader;
import com.example.starter.sessions.BusSessionStore;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.client.WebClientSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test's own application with every role, in this JVM, on loopback and any free ports, its data
 * in a directory of its own ({@link TestConfig#overrides}), and a client that checks every {@code
 * /api} answer against the contract. On a field:
 *
 * <pre>
 * &#64;RegisterExtension final RunningApp app = RunningApp.started();
 * &#64;RegisterExtension final RunningApp app = RunningApp.started(o -&gt; o.put("DEBUG", true));
 * &#64;RegisterExtension final RunningApp app = RunningApp.perTest(); // app.start(...) in the test
 * &#64;RegisterExtension static final RunningApp app = RunningApp.startedForTheClass();
 * </pre>
 *
 * Whatever it started is stopped after each test (or after the class), its client closed and its
 * data deleted.
 */
public final class RunningApp
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

  private final UnaryOperator<JsonObject> settings;
  private final boolean forTheClass;
  private final List<Application> apps = new ArrayList<>();
  private final List<Path> dataDirs = new ArrayList<>();
  private Vertx client;
  private Application app;
  private WebClient web;

  private RunningApp(UnaryOperator<JsonObject> settings, boolean forTheClass) {
    this.settings = settings;
    this.forTheClass = forTheClass;
  }

  /** Started before each test, with the test settings. */
  public static RunningApp started() {
    return started(UnaryOperator.identity());
  }

  /** Started before each test, with the test settings as {@code settings} changes them. */
  public static RunningApp started(UnaryOperator<JsonObject> settings) {
    return new RunningApp(settings, false);
  }

  /**
   * Started once before the class's tests, with the test settings, and stopped after them: for a
   * corpus of cases that each cost less than a start.
   */
  public static RunningApp startedForTheClass() {
    return new RunningApp(UnaryOperator.identity(), true);
  }

  /** Started by the test itself, with {@link #start}, for settings of its own. */
  public static RunningApp perTest() {
    return new RunningApp(null, false);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (forTheClass) {
      begin();
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (!forTheClass) {
      begin();
    }
  }

  private void begin() {
    client = Vertx.vertx();
    if (settings != null) {
      start(settings);
    }
  }

  /** An application with the test settings. */
  public Application start() {
    return start(UnaryOperator.identity());
  }

  /**
   * An application with the test settings as {@code settings} changes them: the one {@link #app()}
   * and {@link #web()} are about if it is the first, else one more (another node).
   */
  public Application start(UnaryOperator<JsonObject> settings) {
    return started(Application.start(settings.apply(TestConfig.overrides(newDataDir()))).await());
  }

  /** The same, its spans going to {@code tracing}'s exporters. */
  public Application start(UnaryOperator<JsonObject> settings, OpenTelemetrySdk tracing) {
    AppConfig config =
        ConfigLoader.load(client, settings.apply(TestConfig.overrides(newDataDir()))).await();
    return started(Application.start(config, tracing).await());
  }

  private Application started(Application started) {
    apps.add(started);
    if (app == null) {
      app = started;
      web = webClient(started);
    }
    return started;
  }

  /** Stops {@code node} before the test ends: a node going away under the others. */
  public void stop(Application node) {
    apps.remove(node);
    node.stop().await();
  }

  /** A directory for one more node's data, deleted with the others. */
  public Path newDataDir() {
    try {
      Path dir = Files.createTempDirectory("app-data-");
      dataDirs.add(dir);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Application app() {
    return app;
  }

  /** The client's own Vert.x instance, apart from the application's. */
  public Vertx client() {
    return client;
  }

  /** A client of {@link #app()}'s HTTP port, without cookies. */
  public WebClient web() {
    return web;
  }

  /** A client of {@code node}'s HTTP port, checking answers against the contract. */
  public WebClient webClient(Application node) {
    return ApiContract.webClient(
        client, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(node.httpPort()));
  }

  /** A browser: a client of {@link #app()} with a cookie jar. */
  public WebClientSession browser() {
    return WebClientSession.create(web);
  }

  public HttpResponse<Buffer> get(String path) {
    return web.get(path).send().await();
  }

  public static HttpResponse<Buffer> post(WebClient client, String path, JsonObject body) {
    return client.post(path).sendJsonObject(body).await();
  }

  /** The status of a {@code DELETE} of {@code path}, with no body but a JSON content type. */
  public static int delete(WebClient client, String path) {
    return client
        .delete(path)
        .putHeader("Content-Type", "application/json")
        .send()
        .await()
        .statusCode();
  }

  /** The status of {@code GET /api/me}: 200 while {@code browser} is logged in, else 401. */
  public static int me(WebClient browser) {
    return browser.get("/api/me").send().await().statusCode();
  }

  /**
   * The status of deleting the account {@code browser} is logged in as, confirmed with {@code
   * password}.
   */
  public static int deleteAccount(WebClient browser, Object password) {
    return browser
        .delete("/api/me")
        .sendJsonObject(new JsonObject().put("password", password))
        .await()
        .statusCode();
  }

  /** The session cookie a response sets, as {@code Set-Cookie} says it. */
  public static String sessionCookie(HttpResponse<Buffer> response) {
    return response.cookies().stream()
        .filter(cookie -> cookie.startsWith(BusSessionStore.COOKIE + "="))
        .findFirst()
        .orElseThrow();
  }

  @Override
  public void afterEach(ExtensionContext context) throws IOException {
    if (!forTheClass) {
      end();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    if (forTheClass) {
      end();
    }
  }

  private void end() throws IOException {
    // The latest first: the nodes a test adds lean on the first.
    for (int i = apps.size() - 1; i >= 0; i--) {
      apps.get(i).stop().await();
    }
    apps.clear();
    app = null;
    web = null;
    client.close().await();
    for (Path dir : dataDirs) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(file);
        }
      }
    }
    dataDirs.clear();
  }
}
