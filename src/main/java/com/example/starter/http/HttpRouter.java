package com.example.starter.http;

import com.example.starter.config.ConfigKeys;
import com.example.starter.ops.OpsRoutes;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.LoggerFormat;
import io.vertx.ext.web.handler.LoggerHandler;

/** The public HTTP API: what each path does, in the order a request meets it. */
public final class HttpRouter {

  public static final String API = "/api/*";

  private HttpRouter() {
  }

  public static Router create(Vertx vertx, JsonObject config) {
    Router router = Router.router(vertx);
    // The log line is written when the response ends, by which time the request id is set.
    router.route()
      .handler(LoggerHandler.create(LoggerFormat.CUSTOM).customFormatter((ctx, ms) ->
        RequestId.of(ctx) + " " + ctx.request().method() + " " + ctx.request().uri() + " "
          + ctx.response().getStatusCode() + " " + ms + "ms"))
      .handler(new RequestId());

    router.get("/hello").handler(ctx -> ctx.response()
      .putHeader("Content-Type", "text/plain; charset=utf-8")
      .end("Hello, world"));

    OpsRoutes.mount(vertx, router, config);

    JsonOnly.install(router, API);
    router.route(API).handler(BodyHandler.create(false)
      .setBodyLimit(config.getInteger(ConfigKeys.HTTP_BODY_LIMIT_BYTES)));

    ApiErrors.install(router);
    return router;
  }
}
