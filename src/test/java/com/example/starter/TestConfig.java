package com.example.starter;

import com.example.starter.config.AppConfig;
import com.example.starter.config.ConfigLoader;
import com.example.starter.config.Setting;
import com.example.starter.ops.Metrics;
import com.example.starter.server.Servers;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** The dev configuration, moved onto loopback, any free ports and a test's own data directory. */
public final class TestConfig {

  private TestConfig() {}

  /**
   * A loopback port that refuses connections for as long as the socket is open: bound, never
   * listening, so no other server can take it meanwhile. For "nothing answers there".
   */
  public static Socket refusingPort() {
    try {
      Socket socket = new Socket();
      socket.bind(new InetSocketAddress("127.0.0.1", 0));
      return socket;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reserved ports already handed out in this JVM, since a probed port may be offered again. */
  private static final Set<Integer> RESERVED = ConcurrentHashMap.newKeySet();

  /**
   * A port chosen before its server binds it, which can race with another process: only where a
   * server cannot listen on 0. Hazelcast's member list names every member's port before any starts;
   * a database that comes back must come back on the port its clients know; for the mongo role, 0
   * means MongoDB's 27017.
   */
  public static int reservedPort() {
    while (true) {
      try (ServerSocket socket = new ServerSocket(0)) {
        if (RESERVED.add(socket.getLocalPort())) {
          return socket.getLocalPort();
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /**
   * A real MongoDB for the tests instead of the embedded server ({@code MONGO_TEST_URL}), or null.
   */
  public static String realMongoUrl() {
    String url = System.getenv("MONGO_TEST_URL");
    return url == null || url.isBlank() ? null : url;
  }

  /**
   * Overrides for one process: any free ports (read them from the Application), its own data, short
   * timeouts so that failures show fast, cheap hashing; with {@code MONGO_TEST_URL}, a database of
   * its own on that server instead of an embedded one.
   */
  public static JsonObject overrides(Path dataDir) {
    JsonObject overrides = new JsonObject();
    String real = realMongoUrl();
    if (real != null) {
      // A database of the test's own on the shared server, as the embedded one is the test's own.
      overrides
          .put(Setting.MONGO_URL.name(), real)
          .put(Setting.MONGO_DB.name(), "test_" + UUID.randomUUID().toString().replace("-", ""));
    }
    return overrides
        .put(Setting.HTTP_HOST.name(), "127.0.0.1")
        .put(Setting.HTTP_PORT.name(), 0)
        .put(Setting.WS_HOST.name(), "127.0.0.1")
        .put(Setting.WS_PORT.name(), 0)
        .put(Setting.HTTP_INSTANCES.name(), 2)
        .put(Setting.DATA_DIR.name(), dataDir.toString())
        .put(Setting.MONGO_TIMEOUT_MS.name(), 1000)
        .put(Setting.BUS_TIMEOUT_MS.name(), 1500)
        .put(Setting.SHUTDOWN_GRACE_SECONDS.name(), 1)
        // Hashing at OWASP's cost only where a test is about the cost.
        .put(Setting.ARGON2_MEMORY_KIB.name(), 1024)
        .put(Setting.ARGON2_ITERATIONS.name(), 1);
  }

  /**
   * What a verticle gets from the application: the checked configuration plus its metrics registry.
   */
  public static AppConfig verticleConfig(Vertx vertx, JsonObject overrides, String registryName) {
    return ConfigLoader.load(vertx, overrides).await().withMetricsRegistry(registryName);
  }

  /** The same with the test settings, the data in {@code dataDir}, and a registry of its own. */
  public static AppConfig verticleConfig(Vertx vertx, Path dataDir) {
    return verticleConfig(vertx, overrides(dataDir), registryName());
  }

  /**
   * One server verticle alone in {@code vertx}, with the checked {@code overrides}, on loopback and
   * any free port: that port.
   */
  public static int deployAlone(
      Vertx vertx, Supplier<? extends Servers.Server> server, Setting port, JsonObject overrides) {
    return Servers.deploy(vertx, server, 1, verticleConfig(vertx, overrides, registryName()), port)
        .await()
        .port();
  }

  /**
   * A test's own client of the database {@code config} names, to look behind the service's back:
   * without the service's timeouts, which a bulk write on a busy machine can outlast.
   */
  public static MongoClient database(Vertx vertx, AppConfig config) {
    return MongoClient.create(
        vertx,
        new JsonObject()
            .put("connection_string", config.mongoUrl())
            .put("db_name", config.mongoDb()));
  }

  public static String registryName() {
    return "test-" + UUID.randomUUID();
  }

  /** A Vert.x instance reporting to a Prometheus registry, as the application's does. */
  public static Vertx vertxWithMetrics(String registryName) {
    return Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(Metrics.options(registryName)))
        .withMetrics(Metrics.factory())
        .build();
  }
}
