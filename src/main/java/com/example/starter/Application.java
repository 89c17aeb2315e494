package com.example.starter;

import com.example.starter.config.AppConfig;
import com.example.starter.config.ConfigLoader;
import com.example.starter.config.Role;
import com.example.starter.ops.Tracing;
import com.example.starter.startup.DataStage;
import com.example.starter.startup.ReadyLine;
import com.example.starter.startup.ServerStage;
import com.example.starter.startup.Stages;
import com.example.starter.startup.VertxFactory;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running process: a Vert.x instance (clustered or not) with the verticles of its roles. Starts
 * in stages (package {@code startup}), each waiting for the one before: the embedded database and
 * the roles that own data, then the servers. Stops in the reverse order.
 */
public final class Application {

  private static final Logger LOG = LoggerFactory.getLogger(Application.class);

  private final Vertx vertx;
  private final AppConfig config;
  private final Stages stages;

  /** Null when tracing is off. */
  private final OpenTelemetrySdk tracing;

  /**
   * What the verticles are given: the configuration, with the embedded database's address and the
   * ports the servers got, once they are known.
   */
  private volatile AppConfig verticleConfig;

  private Application(
      Vertx vertx, AppConfig config, AppConfig verticleConfig, OpenTelemetrySdk tracing) {
    this.vertx = vertx;
    this.config = config;
    this.verticleConfig = verticleConfig;
    this.tracing = tracing;
    this.stages = new Stages(vertx);
  }

  /**
   * Reads the configuration (file, environment, system properties, then {@code overrides}) and
   * starts.
   */
  public static Future<Application> start(JsonObject overrides) {
    return config(overrides).compose(Application::start);
  }

  /** The configuration: file, environment, system properties, then {@code overrides}. */
  public static Future<AppConfig> config(JsonObject overrides) {
    // Reading the configuration needs a Vert.x instance, and the real one needs the configuration.
    Vertx bootstrap = Vertx.vertx();
    Promise<AppConfig> loaded = Promise.promise();
    ConfigLoader.load(bootstrap, overrides)
        .onComplete(result -> bootstrap.close().onComplete(closed -> loaded.handle(result)));
    return loaded.future();
  }

  /** With tracing as the standard {@code OTEL_*} variables say: off unless they ask for it. */
  public static Future<Application> start(AppConfig config) {
    return start(config, Tracing.fromEnvironment());
  }

  /** With spans going to {@code tracing}'s exporters, or none if it is null. */
  public static Future<Application> start(AppConfig config, OpenTelemetrySdk tracing) {
    long began = System.nanoTime();
    String registryName = "starter-" + UUID.randomUUID();
    return VertxFactory.create(config, registryName, tracing)
        .compose(
            vertx -> {
              Application app =
                  new Application(vertx, config, config.withMetricsRegistry(registryName), tracing);
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
                        LOG.info("Ready: {}", ReadyLine.of(deployed, began));
                        started.complete(app);
                      },
                      failure -> app.stop().onComplete(stopped -> started.fail(failure)));
              return started.future();
            });
  }

  private Future<AppConfig> deployRoles() {
    return DataStage.deploy(vertx, verticleConfig, stages)
        .map(this::running)
        .compose(withDatabase -> ServerStage.deploy(vertx, withDatabase, stages))
        .map(this::running);
  }

  /** In the chain: the next stage, and the accessors below, read what this one learnt. */
  private AppConfig running(AppConfig learnt) {
    verticleConfig = learnt;
    return learnt;
  }

  /**
   * Graceful stop: servers first (they stop accepting and let requests in flight finish), then the
   * roles that own data, then the embedded database, then the event bus and cluster.
   */
  public Future<Void> stop() {
    Promise<Void> closed = Promise.promise();
    stages
        .undeploy()
        .onComplete(
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
