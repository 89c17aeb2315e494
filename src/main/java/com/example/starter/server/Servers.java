package com.example.starter.server;

import com.example.starter.config.AppConfig;
import com.example.starter.config.Setting;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Deploys the instances of a server verticle on one port, which may be 0 for any free one. Vert.x
 * shares a port between the servers that name it, but gives each server that asks for 0 a port of
 * its own; servers that name the same negative port share one free port
 * (eclipse-vertx/vert.x#3998). So the instances of a server asked for 0 all name a negative port of
 * that server's own ({@link #sharedFreePort}): the HTTP and websocket servers each get one port.
 * The options both servers listen with are here too.
 */
public final class Servers {

  private Servers() {}

  /** A verticle that listens: once deployed, the port it got. */
  public abstract static class Server extends VerticleBase {
    public abstract int actualPort();
  }

  /** A negative port for the setting {@code port} alone. */
  private static int sharedFreePort(Setting port) {
    return -1 - port.ordinal();
  }

  public record Deployed(List<String> ids, int port) {}

  public static Future<Deployed> deploy(
      Vertx vertx,
      Supplier<? extends Server> verticle,
      int instances,
      AppConfig config,
      Setting port) {
    JsonObject listening =
        (config.port(port) == 0 && instances > 1
                ? config.withPort(port, sharedFreePort(port))
                : config)
            .json();
    // The first instance is kept to ask for the port; the others share it.
    Server first = verticle.get();
    return vertx
        .deployVerticle(first, new DeploymentOptions().setConfig(listening))
        .compose(
            firstId -> {
              int bound = first.actualPort();
              if (instances == 1) {
                return Future.succeededFuture(new Deployed(List.of(firstId), bound));
              }
              DeploymentOptions others =
                  new DeploymentOptions().setConfig(listening).setInstances(instances - 1);
              return vertx
                  .deployVerticle(verticle, others)
                  .map(othersId -> new Deployed(List.of(firstId, othersId), bound));
            });
  }

  /**
   * Both ports' options: HTTP/1.1, plus HTTP/2 over cleartext only when asked for: an h2c upgrade
   * is one more protocol a client could use to reach code paths nobody measured. A connection from
   * which nothing arrives for this long closes: a read timeout, not Netty's all-idle one, which
   * puts a listener on every response write (about 3 % of {@code /hello}); our answers are small,
   * so a client that sends nothing for that long is gone or stalling either way.
   */
  public static HttpServerOptions options(AppConfig config) {
    return new HttpServerOptions()
        .setHttp2ClearTextEnabled(config.http2Cleartext())
        .setReadIdleTimeout(config.httpIdleTimeoutSeconds())
        .setIdleTimeoutUnit(TimeUnit.SECONDS);
  }

  public static long idleMillis(AppConfig config) {
    return TimeUnit.SECONDS.toMillis(config.httpIdleTimeoutSeconds());
  }

  public static long bodyMillis(AppConfig config) {
    return TimeUnit.SECONDS.toMillis(config.httpBodyTimeoutSeconds());
  }
}
