package com.example.starter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.web.Router;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built fat jar as a real process: what {@code java -jar} and a container orchestrator see. */
class FatJarIT {

  private static final Duration START = Duration.ofSeconds(30);

  /** SHUTDOWN_GRACE_SECONDS below plus the margin Main gives the rest of the stop. */
  private static final Duration STOP = Duration.ofSeconds(10);

  @TempDir Path dir;

  private Map<String, String> env;

  /** The port the latest process's HTTP got. */
  private int httpPort;

  private Vertx vertx;

  @BeforeEach
  void environment() {
    env =
        new HashMap<>(
            Map.of(
                "HTTP_HOST", "127.0.0.1",
                "HTTP_PORT", "0",
                "WS_HOST", "127.0.0.1",
                "WS_PORT", "0",
                "DATA_DIR", dir.resolve("data").toString(),
                "SHUTDOWN_GRACE_SECONDS", "3"));
    vertx = Vertx.vertx();
  }

  @AfterEach
  void close() {
    vertx.close().await();
  }

  private String url(String path) {
    return "http://127.0.0.1:" + httpPort + path;
  }

  private JarProcess started() throws InterruptedException {
    JarProcess process = JarProcess.start(env, dir.resolve("logs"));
    httpPort = process.httpPort(START);
    process.awaitOk(url("/health/ready"), START);
    return process;
  }

  /** The jar started with {@link #env}, ended by itself with {@code exit}: what it printed. */
  private String outputOfAFailedStart(int exit) throws Exception {
    try (JarProcess process = JarProcess.start(env, dir.resolve("logs"))) {
      assertThat(process.awaitExit(START)).isEqualTo(exit);
      return process.output();
    }
  }

  @Test
  void servesHelloConfiguredByTheEnvironmentAndExitsCleanlyOnSigterm() throws Exception {
    try (JarProcess process = started()) {
      assertThat(JarProcess.status(url("/hello"))).isEqualTo(200);

      process.terminate();

      assertThat(process.awaitExit(STOP)).isEqualTo(143);
      assertThat(process.output()).contains("Stopping", "Embedded MongoDB stopped", "Stopped");
      assertThat(JarProcess.status(url("/hello"))).isEqualTo(-1);
    }
  }

  @Test
  void aRegistrationInFlightAtSigtermIsCompletedWhileNewConnectionsAreRefused() throws Exception {
    String body = "{\"login\":\"late\",\"password\":\"correct horse\"}";
    try (JarProcess process = started();
        Socket socket = new Socket("127.0.0.1", httpPort)) {
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      // In flight, in a handler, when the stop begins.
      RawHttp.startInFlight(socket, "127.0.0.1", "/api/accounts", body.length());

      process.terminate();
      // Only a refused connection counts: any other failure fails the wait.
      await("new connections refused")
          .atMost(STOP)
          .pollInterval(Duration.ofMillis(50))
          .until(
              () -> {
                try (Socket probe = new Socket("127.0.0.1", httpPort)) {
                  return false;
                } catch (ConnectException refused) {
                  return true;
                }
              });
      out.write(body.getBytes(StandardCharsets.UTF_8));
      out.flush();

      assertThat(new String(in.readNBytes(12), StandardCharsets.UTF_8)).isEqualTo("HTTP/1.1 201");
      assertThat(process.awaitExit(STOP)).as("the first, graceful stop's exit code").isEqualTo(143);
    }
    // The 201 is an account: it logs in after a restart on the same data.
    try (JarProcess restarted = started()) {
      assertThat(JarProcess.post(url("/api/session"), body)).isEqualTo(200);
    }
  }

  @Test
  void keepsItsDataAcrossAGracefulRestartAndAKill() throws Exception {
    try (JarProcess process = started()) {
      MongoClient mongo = MongoClient.create(vertx, mongoConfig(process));
      mongo.insert("things", new JsonObject().put("_id", "graceful")).await();
      mongo.close().await();
      process.terminate();
      process.awaitExit(STOP);
    }
    try (JarProcess process = started()) {
      MongoClient mongo = MongoClient.create(vertx, mongoConfig(process));
      assertThat(mongo.findOne("things", new JsonObject().put("_id", "graceful"), null).await())
          .isNotNull();
      // Acknowledged, then the process dies at once: the write must already be on disk.
      mongo.insert("things", new JsonObject().put("_id", "killed")).await();
      mongo.close().await();
      process.kill();
    }
    try (JarProcess process = started()) {
      MongoClient mongo = MongoClient.create(vertx, mongoConfig(process));
      assertThat(mongo.findOne("things", new JsonObject().put("_id", "killed"), null).await())
          .isNotNull();
      mongo.close().await();
    }
  }

  private static JsonObject mongoConfig(JarProcess process) {
    return new JsonObject()
        .put("connection_string", process.embeddedMongoUrl(START))
        .put("db_name", "it");
  }

  @Test
  void aRegistrationThatWasAnsweredSurvivesAKillRightAfter() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String alice = "{\"login\":\"alice\",\"password\":\"correct horse\"}";
    try (JarProcess process = started()) {
      HttpResponse<String> registered =
          http.send(jsonPost("/api/accounts", alice), HttpResponse.BodyHandlers.ofString());
      assertThat(registered.statusCode()).isEqualTo(201);
      process.kill();
    }
    try (JarProcess process = started()) {
      assertThat(
              http.send(jsonPost("/api/session", alice), HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .isEqualTo(200);
    }
  }

  private HttpRequest jsonPost(String path, String body) {
    return HttpRequest.newBuilder(URI.create(url(path)))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  /**
   * What the Dockerfile does: {@code docker/train-cds} writes a class-data archive from a training
   * run, and the jar starts with it. {@code -Xshare:on} makes a JVM that cannot map the archive
   * fail instead of starting without it.
   */
  @Test
  void startsWithTheClassDataArchiveItsTrainingRunWrites() throws Exception {
    Path archive = dir.resolve("starter.jsa");
    Path classLog = dir.resolve("classes.log");
    ProcessBuilder training =
        new ProcessBuilder("docker/train-cds", JarProcess.jar(), archive.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("training.log").toFile());
    training.environment().put("JAVA", JarProcess.java());
    Process trained = training.start();
    assertThat(trained.waitFor(START.multipliedBy(2).toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(trained.exitValue()).as(Files.readString(dir.resolve("training.log"))).isZero();

    env.put(
        "JAVA_TOOL_OPTIONS",
        "-Xshare:on -XX:SharedArchiveFile=" + archive + " -Xlog:class+load=info:file=" + classLog);
    try (JarProcess process = started()) {
      assertThat(JarProcess.status(url("/hello"))).isEqualTo(200);
      assertThat(Files.readString(classLog))
          .contains(Main.class.getName() + " source: shared objects file")
          .contains(Router.class.getName() + " source: shared objects file");
    }
  }

  @Test
  void logsOneJsonObjectPerLineWhenAskedTo() throws Exception {
    env.put("LOG_FORMAT", "json");
    try (JarProcess process = started()) {
      process.terminate();
      process.awaitExit(STOP);
      List<String> lines = process.output().lines().toList();
      assertThat(lines).hasSizeGreaterThan(3);
      for (String line : lines) {
        JsonObject event = new JsonObject(line);
        assertThat(event.getString("level")).isNotBlank();
        assertThat(event.getString("formattedMessage")).isNotNull();
      }
    }
  }

  @Test
  void aBadValueStopsTheStartNamingTheKeyAndTheValue() throws Exception {
    env.put("HTTP_PORT", "eighty");
    assertThat(outputOfAFailedStart(2))
        .contains("Cannot start: HTTP_PORT='eighty' is not a whole number");
  }

  @Test
  void anUnreachableMongoUrlFailsTheStartQuickly() throws Exception {
    env.put("MONGO_TIMEOUT_MS", "1000");
    long start = System.nanoTime();
    Socket nothing = TestConfig.refusingPort();
    env.put("MONGO_URL", "mongodb://127.0.0.1:" + nothing.getLocalPort());
    try (nothing) {
      assertThat(outputOfAFailedStart(1))
          .contains(
              "Cannot start: MongoDB at mongodb://127.0.0.1:", "did not answer within 1000 ms");
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
  }

  @Test
  void anImpossibleSplitSaysWhatIsMissing() throws Exception {
    env.put("ROLES", "http");
    assertThat(outputOfAFailedStart(2))
        .contains("the http role needs accounts and sessions", "CLUSTER=true")
        .doesNotContain("Ready:");
  }
}
