package com.example.starter.http;

import com.example.starter.Servers;
import com.example.starter.config.Setting;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * An HTTP server on {@code HTTP_PORT}, deployed once per event loop, sharing the port (see {@link
 * Servers}). By default it serves the public API; a process without the http role gives it only the
 * ops routes.
 */
public class HttpVerticle extends Servers.Server {

  private final BiFunction<Vertx, JsonObject, Future<Router>> routes;
  private HttpServer server;

  public HttpVerticle() {
    this(HttpRouter::create);
  }

  public HttpVerticle(BiFunction<Vertx, JsonObject, Future<Router>> routes) {
    this.routes = routes;
  }

  @Override
  public Future<?> start() {
    return routes
        .apply(vertx, config())
        .compose(
            router -> {
              server = HttpFraming.install(vertx.createHttpServer(serverOptions(config())));
              SlowClients slowClients =
                  SlowClients.watch(vertx, server, idleMillis(config()), bodyMillis(config()));
              server.requestHandler(
                  request -> {
                    slowClients.started(request);
                    if (!HttpFraming.refused(request)) {
                      router.handle(request);
                    }
                  });
              return server.listen(
                  config().getInteger(Setting.HTTP_PORT.name()),
                  config().getString(Setting.HTTP_HOST.name()));
            });
  }

  @Override
  public int actualPort() {
    return server.actualPort();
  }

  /**
   * HTTP/1.1, plus HTTP/2 over cleartext only when asked for: an h2c upgrade is one more protocol a
   * client could use to reach code paths nobody measured. A connection from which nothing arrives
   * for this long closes: a read timeout, not Netty's all-idle one, which puts a listener on every
   * response write (about 3 % of {@code /hello}); our answers are small, so a client that sends
   * nothing for that long is gone or stalling either way.
   */
  public static HttpServerOptions serverOptions(JsonObject config) {
    return new HttpServerOptions()
        .setHttp2ClearTextEnabled(config.getBoolean(Setting.HTTP2_CLEARTEXT.name()))
        .setReadIdleTimeout(config.getInteger(Setting.HTTP_IDLE_TIMEOUT_SECONDS.name()))
        .setIdleTimeoutUnit(TimeUnit.SECONDS);
  }

  public static long idleMillis(JsonObject config) {
    return TimeUnit.SECONDS.toMillis(config.getInteger(Setting.HTTP_IDLE_TIMEOUT_SECONDS.name()));
  }

  public static long bodyMillis(JsonObject config) {
    return TimeUnit.SECONDS.toMillis(config.getInteger(Setting.HTTP_BODY_TIMEOUT_SECONDS.name()));
  }

  /** Stops accepting connections and lets requests in flight finish, within the grace period. */
  @Override
  public Future<?> stop() {
    return server.shutdown(
        config().getInteger(Setting.SHUTDOWN_GRACE_SECONDS.name()), TimeUnit.SECONDS);
  }
}
