package com.example.starter.startup;

import com.example.starter.config.AppConfig;
import com.example.starter.config.Role;
import com.example.starter.config.Setting;
import com.example.starter.http.HttpVerticle;
import com.example.starter.ops.OpsRoutes;
import com.example.starter.server.Servers;
import com.example.starter.upstreams.UpstreamsVerticle;
import com.example.starter.ws.WsVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The last stage: the servers, one after the other, each told the ports the ones before it got (a
 * port of 0 is any free one): websockets, then HTTP (its pages name the websocket port), then
 * health and metrics if they have a port of their own. The chat learns the HTTP port as it is
 * bound.
 */
public final class ServerStage {

  private final Vertx vertx;
  private final List<String> stage;

  /** The chat's default origins name the HTTP port, known only once HTTP listens if it was 0. */
  private final AtomicInteger boundHttpPort;

  /** With each server's port once it listens; read and replaced only along the chain. */
  private volatile AppConfig config;

  private ServerStage(Vertx vertx, AppConfig config, List<String> stage) {
    this.vertx = vertx;
    this.config = config;
    this.stage = stage;
    this.boundHttpPort = new AtomicInteger(config.httpPort());
  }

  /** The configuration with the ports the servers got. */
  public static Future<AppConfig> deploy(Vertx vertx, AppConfig config, Stages stages) {
    return new ServerStage(vertx, config, stages.oneByOne()).deploy();
  }

  private Future<AppConfig> deploy() {
    return server(
            Role.WS,
            () -> new WsVerticle(boundHttpPort::get),
            config.wsInstances(),
            Setting.WS_PORT)
        .compose(
            v -> server(Role.HTTP, HttpVerticle::new, config.httpInstances(), Setting.HTTP_PORT))
        .compose(
            v -> {
              boundHttpPort.set(config.httpPort());
              return config.has(Role.HTTP)
                  ? vertx
                      .deployVerticle(
                          UpstreamsVerticle::new, new DeploymentOptions().setConfig(config.json()))
                      .map(stage::add)
                  : Future.succeededFuture();
            })
        .compose(v -> ops())
        .map(v -> config);
  }

  private Future<?> server(
      Role role, Supplier<? extends Servers.Server> verticle, int instances, Setting port) {
    if (!config.has(role)) {
      return Future.succeededFuture();
    }
    return Servers.deploy(vertx, verticle, perEventLoop(instances), config, port)
        .map(deployed -> record(deployed, port));
  }

  /**
   * Health and metrics: on MANAGEMENT_PORT if it is set, else on HTTP_PORT, where the http role
   * serves them too.
   */
  private Future<?> ops() {
    boolean ownPort = config.managementPort() >= 0;
    if (config.has(Role.HTTP) && !ownPort) {
      return Future.succeededFuture();
    }
    Setting port = ownPort ? Setting.MANAGEMENT_PORT : Setting.HTTP_PORT;
    // The ops server is an http verticle: it listens on HTTP_PORT, set to the port it is given.
    AppConfig opsConfig = config.withPort(Setting.HTTP_PORT, config.port(port));
    return Servers.deploy(
            vertx, () -> new HttpVerticle(OpsRoutes::router), 1, opsConfig, Setting.HTTP_PORT)
        .map(deployed -> record(deployed, port));
  }

  /**
   * In the chain ({@code map}), not beside it ({@code onSuccess}): what comes next reads the port,
   * and Vert.x does not order a future's listeners when it completes on another thread.
   */
  private AppConfig record(Servers.Deployed deployed, Setting port) {
    stage.addAll(deployed.ids());
    return config = config.withPort(port, deployed.port());
  }

  /** A server's verticle instances: as configured, or one per event loop. */
  private static int perEventLoop(int configured) {
    return configured > 0 ? configured : VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE;
  }
}
