package com.example.starter.http;

import com.example.starter.config.AppConfig;
import com.example.starter.server.HttpFraming;
import com.example.starter.server.Servers;
import com.example.starter.server.SlowClients;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * An HTTP server on {@code HTTP_PORT}, deployed once per event loop, sharing the port (see {@link
 * Servers}). By default it serves the public API; a process without the http role gives it only the
 * ops routes.
 */
public class HttpVerticle extends Servers.Server {

  private final BiFunction<Vertx, AppConfig, Future<Router>> routes;
  private AppConfig settings;
  private HttpServer server;

  public HttpVerticle() {
    this(HttpRouter::create);
  }

  public HttpVerticle(BiFunction<Vertx, AppConfig, Future<Router>> routes) {
    this.routes = routes;
  }

  @Override
  public Future<?> start() {
    settings = AppConfig.of(config());
    return routes
        .apply(vertx, settings)
        .compose(
            router -> {
              server = HttpFraming.install(vertx.createHttpServer(Servers.options(settings)));
              SlowClients slowClients =
                  SlowClients.watch(
                      vertx, server, Servers.idleMillis(settings), Servers.bodyMillis(settings));
              server.requestHandler(
                  request -> {
                    slowClients.started(request);
                    if (!HttpFraming.refused(request)) {
                      router.handle(request);
                    }
                  });
              return server.listen(settings.httpPort(), settings.httpHost());
            });
  }

  @Override
  public int actualPort() {
    return server.actualPort();
  }

  /** Stops accepting connections and lets requests in flight finish, within the grace period. */
  @Override
  public Future<?> stop() {
    return server.shutdown(settings.shutdownGraceSeconds(), TimeUnit.SECONDS);
  }
}
