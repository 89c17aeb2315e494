package com.example.starter.http;

import com.example.starter.config.ConfigKeys;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * An HTTP server on {@code HTTP_PORT}, deployed once per event loop, sharing the port. By default
 * it serves the public API; a process without the http role gives it only the ops routes.
 */
public class HttpVerticle extends VerticleBase {

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
    return routes.apply(vertx, config()).compose(router -> {
      server = vertx.createHttpServer().requestHandler(router);
      return server.listen(config().getInteger(ConfigKeys.HTTP_PORT), config().getString(ConfigKeys.HTTP_HOST));
    });
  }

  /** Stops accepting connections and lets requests in flight finish, within the grace period. */
  @Override
  public Future<?> stop() {
    return server.shutdown(config().getInteger(ConfigKeys.SHUTDOWN_GRACE_SECONDS), TimeUnit.SECONDS);
  }
}
