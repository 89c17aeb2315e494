package com.example.starter;

import com.example.starter.accounts.AccountsVerticle;
import com.example.starter.cluster.Cluster;
import com.example.starter.config.AppConfig;
import com.example.starter.config.ConfigLoader;
import com.example.starter.config.Role;
import com.example.starter.config.Setting;
import com.example.starter.greetings.GreetingsVerticle;
import com.example.starter.http.HttpVerticle;
import com.example.starter.mongo.EmbeddedMongoVerticle;
import com.example.starter.ops.Metrics;
import com.example.starter.ops.OpsRoutes;
import com.example.starter.ops.RequestIds;
import com.example.starter.ops.Tracing;
import com.example.starter.server.Servers;
import com.example.starter.sessions.SessionsVerticle;
import com.example.starter.upstreams.UpstreamsVerticle;
import com.example.starter.ws.WsVerticle;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ResourceLeakDetector;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.tracing.opentelemetry.OpenTelemetryTracingFactory;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running process: a Vert.x instance (clustered or not) with the verticles of its roles. Starts
 * in stages, each waiting for the one before: the embedded database, then the roles that own data,
 * then the servers. Stops in the reverse order.
 */
public final class Application {

  private static final Logger LOG = LoggerFactory.getLogger(Application.class);

  private final Vertx vertx;
  private final AppConfig config;

  /**
   * What the verticles are given: the configuration, with the embedded database's address and the
   * ports the servers got as they become known. Replaced, stage by stage, in the start-up chain.
   */
  private volatile AppConfig verticleConfig;

  /** Null when tracing is off. */
  private final OpenTelemetrySdk tracing;

  /** Deployment ids by stage, the latest stage first. */
  private final Deque<List<String>> stages = new ArrayDeque<>();

  /**
   * For the chat's default origins, which name the HTTP port: known only once HTTP listens if it
   * was 0.
   */
  private final AtomicInteger boundHttpPort;

  private Application(
      Vertx vertx, AppConfig config, AppConfig verticleConfig, OpenTelemetrySdk tracing) {
    this.vertx = vertx;
    this.config = config;
    this.verticleConfig = verticleConfig;
    this.tracing = tracing;
    this.boundHttpPort = new AtomicInteger(config.httpPort());
  }

  /**
   * Reads the configuration (file, environment, system properties, then {@code overrides}) and
   * starts.
   */
  public static Future<Application> start(JsonObject overrides) {
    // Reading the configuration needs a Vert.x instance, and the real one needs the configuration.
    Vertx bootstrap = Vertx.vertx();
    Promise<AppConfig> loaded = Promise.promise();
    ConfigLoader.load(bootstrap, overrides)
        .onComplete(result -> bootstrap.close().onComplete(closed -> loaded.handle(result)));
    return loaded.future().compose(Application::start);
  }

  /** With tracing as the standard {@code OTEL_*} variables say: off unless they ask for it. */
  public static Future<Application> start(AppConfig config) {
    return start(config, Tracing.fromEnvironment());
  }

  /** With spans going to {@code tracing}'s exporters, or none if it is null. */
  public static Future<Application> start(AppConfig config, OpenTelemetrySdk tracing) {
    long began = System.nanoTime();
    String registryName = "starter-" + UUID.randomUUID();
    AppConfig verticleConfig = config.withMetricsRegistry(registryName);
    return createVertx(config, registryName, tracing)
        .compose(
            vertx -> {
              Application app = new Application(vertx, config, verticleConfig, tracing);
              LOG.info(
                  "Starting roles {} ({}, tracing {})",
                  Role.keys(config.roles()),
                  config.cluster() ? "clustered event bus" : "local event bus",
                  tracing == null ? "off" : "on");
              // Without a context, like every promise completed after Vert.x closed: its event
              // loops are gone.
              Promise<Application> started = Promise.promise();
              app.deployRoles()
                  .onComplete(
                      deployed -> {
                        LOG.info("Ready: {}", app.ready(began));
                        started.complete(app);
                      },
                      failure -> app.stop().onComplete(stopped -> started.fail(failure)));
              return started.future();
            });
  }

  private static Future<Vertx> createVertx(
      AppConfig config, String registryName, OpenTelemetrySdk tracing) {
    VertxOptions options = new VertxOptions().setMetricsOptions(Metrics.options(registryName));
    if (config.debug()) {
      // Debug mode: say loudly what blocks a loop and what leaks, with where.
      options
          .setBlockedThreadCheckInterval(100)
          .setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
          .setMaxEventLoopExecuteTime(100)
          .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
          .setWarningExceptionTime(100)
          .setWarningExceptionTimeUnit(TimeUnit.MILLISECONDS);
      ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    }
    VertxBuilder builder = Vertx.builder().withMetrics(Metrics.factory());
    if (tracing != null) {
      // Spans for the HTTP server, the event bus, the web client and (mongo.TracedMongo) MongoDB.
      builder.withTracer(new OpenTelemetryTracingFactory(tracing));
    }
    Future<Vertx> vertx;
    if (config.cluster()) {
      options.setEventBusOptions(Cluster.eventBusOptions(config));
      vertx =
          builder.with(options).withClusterManager(Cluster.clusterManager(config)).buildClustered();
    } else {
      vertx = Future.succeededFuture(builder.with(options).build());
    }
    return vertx.map(
        started -> {
          started.exceptionHandler(Application::unhandled);
          RequestIds.install(started);
          return started;
        });
  }

  /**
   * A client that resets its connection or sends bytes no decoder takes is the client's affair: a
   * line at DEBUG, without a stack. Anything else is a bug: an ERROR with its stack.
   */
  private static void unhandled(Throwable failure) {
    if (failure instanceof IOException || failure instanceof DecoderException) {
      LOG.debug("A client connection failed: {}", failure.toString());
    } else {
      LOG.error("Unhandled exception on {}", Thread.currentThread().getName(), failure);
    }
  }

  private Future<?> deployRoles() {
    return deployEmbeddedMongo()
        .compose(v -> deployStage(dataRoles()))
        .compose(v -> deployServers());
  }

  /** Starts the embedded database if this process runs it, and points the verticles at it. */
  private Future<?> deployEmbeddedMongo() {
    if (!config.runsEmbeddedMongo()) {
      return Future.succeededFuture();
    }
    EmbeddedMongoVerticle mongo = new EmbeddedMongoVerticle();
    return deployStage(
            List.of(
                vertx.deployVerticle(
                    mongo,
                    new DeploymentOptions()
                        .setConfig(verticleConfig.json())
                        .setThreadingModel(ThreadingModel.WORKER))))
        .map(deployed -> verticleConfig = verticleConfig.withMongoUrl(mongo.connectionString()));
  }

  private List<Future<String>> dataRoles() {
    return Arrays.stream(Role.values())
        .filter(config::has)
        .map(Application::dataVerticleOf)
        .flatMap(Optional::stream)
        .map(this::deploy)
        .toList();
  }

  /**
   * The verticle a role deploys in the data stage, one per process. The servers and the embedded
   * database have stages of their own (before the data roles, and after them).
   */
  private static Optional<Supplier<? extends Deployable>> dataVerticleOf(Role role) {
    return switch (role) {
      case ACCOUNTS -> Optional.of(AccountsVerticle::new);
      case SESSIONS -> Optional.of(SessionsVerticle::new);
      case GREETINGS -> Optional.of(GreetingsVerticle::new);
      case HTTP, WS, MONGO -> Optional.empty();
    };
  }

  /**
   * The servers, one after the other, each told the ports the ones before it got (a port of 0 is
   * any free one): websockets, then HTTP (its pages name the websocket port), then health and
   * metrics if they have a port of their own. The chat learns the HTTP port as it is bound.
   */
  private Future<?> deployServers() {
    List<String> stage = new CopyOnWriteArrayList<>();
    stages.push(stage);
    return deployServer(
            Role.WS,
            () -> new WsVerticle(boundHttpPort::get),
            instances(config.wsInstances()),
            Setting.WS_PORT,
            stage)
        .compose(
            v ->
                deployServer(
                    Role.HTTP,
                    HttpVerticle::new,
                    instances(config.httpInstances()),
                    Setting.HTTP_PORT,
                    stage))
        .compose(
            v -> {
              boundHttpPort.set(httpPort());
              return config.has(Role.HTTP)
                  ? deploy(UpstreamsVerticle::new).map(stage::add)
                  : Future.succeededFuture();
            })
        .compose(v -> deployOps(stage));
  }

  private Future<?> deployServer(
      Role role,
      Supplier<? extends Servers.Server> verticle,
      int instances,
      Setting port,
      List<String> stage) {
    if (!config.has(role)) {
      return Future.succeededFuture();
    }
    return Servers.deploy(vertx, verticle, instances, verticleConfig, port)
        .map(deployed -> recordServer(deployed, port, stage));
  }

  /**
   * Health and metrics: on MANAGEMENT_PORT if it is set, else on HTTP_PORT, where the http role
   * serves them too.
   */
  private Future<?> deployOps(List<String> stage) {
    boolean ownPort = config.managementPort() >= 0;
    if (config.has(Role.HTTP) && !ownPort) {
      return Future.succeededFuture();
    }
    Setting port = ownPort ? Setting.MANAGEMENT_PORT : Setting.HTTP_PORT;
    // The ops server is an http verticle: it listens on HTTP_PORT, set to the port it is given.
    AppConfig opsConfig = verticleConfig.withPort(Setting.HTTP_PORT, verticleConfig.port(port));
    return Servers.deploy(
            vertx, () -> new HttpVerticle(OpsRoutes::router), 1, opsConfig, Setting.HTTP_PORT)
        .map(deployed -> recordServer(deployed, port, stage));
  }

  /**
   * In the chain ({@code map}), not beside it ({@code onSuccess}): what comes next reads the port,
   * and Vert.x does not order a future's listeners when it completes on another thread.
   */
  private AppConfig recordServer(Servers.Deployed deployed, Setting port, List<String> stage) {
    stage.addAll(deployed.ids());
    return verticleConfig = verticleConfig.withPort(port, deployed.port());
  }

  /**
   * Where this process listens, what it runs and how long it took: the line a developer waits for.
   */
  private String ready(long began) {
    List<String> servers = new ArrayList<>();
    if (config.has(Role.HTTP)) {
      servers.add("HTTP on http://" + config.httpHost() + ":" + httpPort() + "/");
    }
    if (config.has(Role.WS)) {
      servers.add("websockets on ws://" + config.wsHost() + ":" + wsPort() + "/");
    }
    if (config.managementPort() >= 0) {
      servers.add("health and metrics on port " + managementPort());
    } else if (!config.has(Role.HTTP)) {
      servers.add("health and metrics on port " + httpPort());
    }
    if (config.has(Role.HTTP)) {
      servers.add("API page http://localhost:" + httpPort() + "/api-docs/");
    }
    return String.join(", ", servers)
        + "; roles "
        + Role.keys(config.roles())
        + String.format(
            Locale.ROOT,
            "; started in %.1f s (JVM up %.1f s)",
            (System.nanoTime() - began) / 1e9,
            ManagementFactory.getRuntimeMXBean().getUptime() / 1e3);
  }

  /** A server's verticle instances: as configured, or one per event loop. */
  private static int instances(int configured) {
    return configured > 0 ? configured : VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE;
  }

  /**
   * Deploys a stage's verticles in parallel; the stage is recorded even if one fails, for {@link
   * #stop()}.
   */
  private Future<?> deployStage(List<Future<String>> deployments) {
    return Future.join(deployments)
        .andThen(
            done ->
                stages.push(
                    deployments.stream().filter(Future::succeeded).map(Future::result).toList()));
  }

  private Future<String> deploy(Supplier<? extends Deployable> verticle) {
    return vertx.deployVerticle(verticle, new DeploymentOptions().setConfig(verticleConfig.json()));
  }

  /**
   * Graceful stop: servers first (they stop accepting and let requests in flight finish), then the
   * roles that own data, then the embedded database, then the event bus and cluster.
   */
  public Future<Void> stop() {
    Future<?> stopped = Future.succeededFuture();
    for (List<String> stage : stages) {
      stopped =
          stopped.transform(previous -> Future.join(stage.stream().map(vertx::undeploy).toList()));
    }
    stages.clear();
    Promise<Void> closed = Promise.promise();
    stopped.onComplete(
        undeployed -> {
          if (undeployed.failed()) {
            LOG.warn("Stopping a verticle failed", undeployed.cause());
          }
          vertx.close().onComplete(closed);
        });
    return closed.future().compose(this::endTracing).onSuccess(done -> LOG.info("Stopped"));
  }

  /** Sends the spans still buffered, once nothing makes new ones. */
  private Future<Void> endTracing(Void closed) {
    if (tracing == null) {
      return Future.succeededFuture();
    }
    Promise<Void> ended = Promise.promise();
    tracing.shutdown().whenComplete(ended::complete);
    return ended.future();
  }

  public Vertx vertx() {
    return vertx;
  }

  public AppConfig config() {
    return config;
  }

  /**
   * The configuration the verticles were given, with the embedded database's address if any and the
   * ports the servers got.
   */
  public AppConfig verticleConfig() {
    return verticleConfig;
  }

  /** The port HTTP is served on: HTTP_PORT, or the port it got if that was 0. */
  public int httpPort() {
    return verticleConfig.httpPort();
  }

  public int wsPort() {
    return verticleConfig.wsPort();
  }

  public int managementPort() {
    return verticleConfig.managementPort();
  }
}
