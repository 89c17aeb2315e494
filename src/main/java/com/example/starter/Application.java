package com.example.starter;

import com.example.starter.accounts.AccountsVerticle;
import com.example.starter.cluster.Cluster;
import com.example.starter.config.AppConfig;
import com.example.starter.config.ConfigKeys;
import com.example.starter.config.ConfigLoader;
import com.example.starter.config.Role;
import com.example.starter.http.HttpVerticle;
import com.example.starter.mongo.EmbeddedMongoVerticle;
import com.example.starter.ops.Metrics;
import com.example.starter.ops.OpsRoutes;
import com.example.starter.sessions.SessionsVerticle;
import com.example.starter.upstreams.UpstreamsVerticle;
import com.example.starter.ws.WsVerticle;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ResourceLeakDetector;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MicrometerMetricsFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One running process: a Vert.x instance (clustered or not) with the verticles of its roles.
 * Starts in stages, each waiting for the one before: the embedded database, then the roles that
 * own data, then the servers. Stops in the reverse order.
 */
public final class Application {

  private static final Logger LOG = LoggerFactory.getLogger(Application.class);

  private final Vertx vertx;
  private final AppConfig config;
  private final JsonObject verticleConfig;
  /** Deployment ids by stage, the latest stage first. */
  private final Deque<List<String>> stages = new ArrayDeque<>();

  private Application(Vertx vertx, AppConfig config, JsonObject verticleConfig) {
    this.vertx = vertx;
    this.config = config;
    this.verticleConfig = verticleConfig;
  }

  /** Reads the configuration (file, environment, system properties, then {@code overrides}) and starts. */
  public static Future<Application> start(JsonObject overrides) {
    // Reading the configuration needs a Vert.x instance, and the real one needs the configuration.
    Vertx bootstrap = Vertx.vertx();
    Promise<AppConfig> loaded = Promise.promise();
    ConfigLoader.load(bootstrap, overrides)
      .onComplete(result -> bootstrap.close().onComplete(closed -> loaded.handle(result)));
    return loaded.future().compose(Application::start);
  }

  public static Future<Application> start(AppConfig config) {
    String registryName = "starter-" + UUID.randomUUID();
    JsonObject verticleConfig = config.json().copy().put(ConfigKeys.METRICS_REGISTRY, registryName);
    return createVertx(config, registryName).compose(vertx -> {
      Application app = new Application(vertx, config, verticleConfig);
      LOG.info("Starting roles {} ({})", config.json().getString(ConfigKeys.ROLES),
        config.clustered() ? "clustered event bus" : "local event bus");
      // Without a context, like every promise completed after Vert.x closed: its event loops are gone.
      Promise<Application> started = Promise.promise();
      app.deployRoles().onComplete(
        deployed -> started.complete(app),
        failure -> app.stop().onComplete(stopped -> started.fail(failure)));
      return started.future();
    });
  }

  private static Future<Vertx> createVertx(AppConfig config, String registryName) {
    VertxOptions options = new VertxOptions()
      .setMetricsOptions(Metrics.options(registryName));
    if (config.debug()) {
      // Debug mode: say loudly what blocks a loop and what leaks, with where.
      options.setBlockedThreadCheckInterval(100).setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
        .setMaxEventLoopExecuteTime(100).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
        .setWarningExceptionTime(100).setWarningExceptionTimeUnit(TimeUnit.MILLISECONDS);
      ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    }
    VertxBuilder builder = Vertx.builder().withMetrics(new MicrometerMetricsFactory());
    Future<Vertx> vertx;
    if (config.clustered()) {
      options.setEventBusOptions(Cluster.eventBusOptions(config.json()));
      vertx = builder.with(options).withClusterManager(Cluster.clusterManager(config.json())).buildClustered();
    } else {
      vertx = Future.succeededFuture(builder.with(options).build());
    }
    return vertx.onSuccess(started -> started.exceptionHandler(Application::unhandled));
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
      .compose(v -> deployStage(serverRoles()));
  }

  /** Starts the embedded database if this process runs it, and points the verticles at it. */
  private Future<?> deployEmbeddedMongo() {
    if (!config.runsEmbeddedMongo()) {
      return Future.succeededFuture();
    }
    EmbeddedMongoVerticle mongo = new EmbeddedMongoVerticle();
    return deploy(() -> mongo, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER))
      .onSuccess(id -> {
        stages.push(List.of(id));
        verticleConfig.put(ConfigKeys.MONGO_URL, mongo.connectionString());
      });
  }

  private List<Future<String>> dataRoles() {
    List<Future<String>> deployments = new ArrayList<>();
    if (config.has(Role.ACCOUNTS)) {
      deployments.add(deploy(AccountsVerticle::new, new DeploymentOptions()));
    }
    if (config.has(Role.SESSIONS)) {
      deployments.add(deploy(SessionsVerticle::new, new DeploymentOptions()));
    }
    return deployments;
  }

  private List<Future<String>> serverRoles() {
    List<Future<String>> deployments = new ArrayList<>();
    int managementPort = config.json().getInteger(ConfigKeys.MANAGEMENT_PORT);
    if (config.has(Role.HTTP)) {
      deployments.add(deploy(UpstreamsVerticle::new, new DeploymentOptions()));
      deployments.add(deploy(HttpVerticle::new, new DeploymentOptions().setInstances(httpInstances())));
    }
    if (!config.has(Role.HTTP) || managementPort != 0) {
      // Health and metrics: on the management port if there is one, else on HTTP_PORT.
      JsonObject opsConfig = verticleConfig.copy().put(ConfigKeys.HTTP_PORT, managementPort != 0 ? managementPort : config.httpPort());
      deployments.add(vertx.deployVerticle(() -> new HttpVerticle(OpsRoutes::router), new DeploymentOptions().setConfig(opsConfig)));
    }
    if (config.has(Role.WS)) {
      // One instance: a node keeps one bus consumer per chat room, whatever its sockets.
      deployments.add(deploy(WsVerticle::new, new DeploymentOptions()));
    }
    return deployments;
  }

  private int httpInstances() {
    int configured = config.json().getInteger(ConfigKeys.HTTP_INSTANCES);
    return configured > 0 ? configured : VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE;
  }

  /** Deploys a stage's verticles in parallel; the stage is recorded even if one fails, for {@link #stop()}. */
  private Future<?> deployStage(List<Future<String>> deployments) {
    return Future.join(deployments).onComplete(done -> stages.push(deployments.stream()
      .filter(Future::succeeded)
      .map(Future::result)
      .toList()));
  }

  private Future<String> deploy(Supplier<? extends Deployable> verticle, DeploymentOptions options) {
    return vertx.deployVerticle(verticle, options.setConfig(verticleConfig));
  }

  /**
   * Graceful stop: servers first (they stop accepting and let requests in flight finish), then the
   * roles that own data, then the embedded database, then the event bus and cluster.
   */
  public Future<Void> stop() {
    Future<?> stopped = Future.succeededFuture();
    for (List<String> stage : stages) {
      stopped = stopped.transform(previous -> Future.join(stage.stream().map(vertx::undeploy).toList()));
    }
    stages.clear();
    Promise<Void> closed = Promise.promise();
    stopped.onComplete(undeployed -> {
      if (undeployed.failed()) {
        LOG.warn("Stopping a verticle failed", undeployed.cause());
      }
      vertx.close().onComplete(closed);
    });
    return closed.future().onSuccess(done -> LOG.info("Stopped"));
  }

  public Vertx vertx() {
    return vertx;
  }

  public AppConfig config() {
    return config;
  }

  /** The configuration the verticles were given, with the embedded database's address if any. */
  public JsonObject verticleConfig() {
    return verticleConfig;
  }
}
